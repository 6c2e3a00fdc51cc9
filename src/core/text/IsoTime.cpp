// SPDX-License-Identifier: GPL-3.0-or-later
#include "IsoTime.h"

#include <cstdio>
#include <ctime>

namespace studyshare
{
  namespace
  {
    bool ReadDigits(const std::string& text, size_t position, size_t count, int& value)
    {
      if (position + count > text.size())
      {
        return false;
      }
      value = 0;
      for (size_t i = position; i < position + count; i++)
      {
        if (text[i] < '0' || text[i] > '9')
        {
          return false;
        }
        value = value * 10 + (text[i] - '0');
      }
      return true;
    }

    bool IsLeapYear(int year)
    {
      return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    }

    int DaysInMonth(int year, int month)
    {
      static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
      return month == 2 && IsLeapYear(year) ? 29 : kDays[month - 1];
    }
  }

  std::optional<int64_t> ParseIsoTime(const std::string& text)
  {
    int year, month, day, hour, minute, second;
    if (text.size() < 20 || !ReadDigits(text, 0, 4, year) || text[4] != '-' || !ReadDigits(text, 5, 2, month) ||
        text[7] != '-' || !ReadDigits(text, 8, 2, day) || (text[10] != 'T' && text[10] != 't') ||
        !ReadDigits(text, 11, 2, hour) || text[13] != ':' || !ReadDigits(text, 14, 2, minute) || text[16] != ':' ||
        !ReadDigits(text, 17, 2, second))
    {
      return std::nullopt;
    }
    if (year < 1970 || month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month) || hour > 23 ||
        minute > 59 || second > 59)
    {
      return std::nullopt;
    }
    size_t position = 19;
    if (text[position] == '.')
    {
      position++;
      const size_t start = position;
      while (position < text.size() && text[position] >= '0' && text[position] <= '9')
      {
        position++;
      }
      if (position == start)
      {
        return std::nullopt;
      }
    }
    int offsetSeconds = 0;
    if (position < text.size() && (text[position] == 'Z' || text[position] == 'z') && position + 1 == text.size())
    {
      offsetSeconds = 0;
    }
    else if (position + 6 == text.size() && (text[position] == '+' || text[position] == '-') &&
             text[position + 3] == ':')
    {
      int offsetHours, offsetMinutes;
      if (!ReadDigits(text, position + 1, 2, offsetHours) || !ReadDigits(text, position + 4, 2, offsetMinutes) ||
          offsetHours > 23 || offsetMinutes > 59)
      {
        return std::nullopt;
      }
      offsetSeconds = (offsetHours * 3600 + offsetMinutes * 60) * (text[position] == '-' ? -1 : 1);
    }
    else
    {
      return std::nullopt;
    }
    std::tm parts{};
    parts.tm_year = year - 1900;
    parts.tm_mon = month - 1;
    parts.tm_mday = day;
    parts.tm_hour = hour;
    parts.tm_min = minute;
    parts.tm_sec = second;
    return static_cast<int64_t>(timegm(&parts)) - offsetSeconds;
  }

  std::string FormatIsoTime(int64_t secondsSinceEpoch)
  {
    const std::time_t time = static_cast<std::time_t>(secondsSinceEpoch);
    std::tm parts{};
    gmtime_r(&time, &parts);
    char buffer[32];
    std::strftime(buffer, sizeof(buffer), "%Y-%m-%dT%H:%M:%SZ", &parts);
    return buffer;
  }
}
