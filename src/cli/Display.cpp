// SPDX-License-Identifier: GPL-3.0-or-later
#include "Display.h"

#include "IsoTime.h"

#include <algorithm>
#include <cstdio>
#include <ctime>

namespace studyshare::cli
{
  namespace
  {
    size_t CharacterCount(const std::string& text)
    {
      size_t count = 0;
      for (const unsigned char c : text)
      {
        if ((c & 0xC0) != 0x80)
        {
          ++count;
        }
      }
      return count;
    }

    std::string Shorten(const std::string& text, size_t maxWidth)
    {
      if (CharacterCount(text) <= maxWidth)
      {
        return text;
      }
      std::string out;
      size_t count = 0;
      for (const unsigned char c : text)
      {
        if ((c & 0xC0) != 0x80 && ++count > maxWidth - 1)
        {
          break;
        }
        out += static_cast<char>(c);
      }
      return out + "\u2026";
    }

    std::string Plural(int64_t n, const char* unit)
    {
      return std::to_string(n) + " " + unit + (n == 1 ? "" : "s");
    }

    std::string DurationInWords(int64_t seconds)
    {
      const int64_t minute = 60, hour = 3600, day = 86400;
      if (seconds < minute)
      {
        return Plural(seconds, "second");
      }
      if (seconds < hour)
      {
        return Plural((seconds + minute / 2) / minute, "minute");
      }
      if (seconds < 2 * day)
      {
        return Plural((seconds + hour / 2) / hour, "hour");
      }
      return Plural((seconds + day / 2) / day, "day");
    }

    std::string FormatDate(const std::string& date)  // YYYYMMDD -> YYYY-MM-DD
    {
      if (date.size() == 8)
      {
        return date.substr(0, 4) + "-" + date.substr(4, 2) + "-" + date.substr(6, 2);
      }
      return date;
    }
  }

  std::string Text(const nlohmann::json& object, const char* key, const std::string& fallback)
  {
    if (object.is_object() && object.contains(key) && object[key].is_string())
    {
      return object[key].get<std::string>();
    }
    return fallback;
  }

  std::string LocalTime(const nlohmann::json& isoDate)
  {
    if (!isoDate.is_string() || isoDate.get<std::string>().empty())
    {
      return "-";
    }
    const auto when = ParseIsoTime(isoDate.get<std::string>());
    if (!when)
    {
      return isoDate.get<std::string>();
    }
    const std::time_t time = static_cast<std::time_t>(*when);
    std::tm parts{};
    localtime_r(&time, &parts);
    char buffer[32];
    std::strftime(buffer, sizeof(buffer), "%Y-%m-%d %H:%M", &parts);
    return buffer;
  }

  std::string ExpiryInWords(const nlohmann::json& isoDate, int64_t now)
  {
    if (!isoDate.is_string())
    {
      return "never";
    }
    const auto when = ParseIsoTime(isoDate.get<std::string>());
    if (!when)
    {
      return isoDate.get<std::string>();
    }
    const std::string at = " (" + LocalTime(isoDate) + ")";
    if (*when > now)
    {
      return "in " + DurationInWords(*when - now) + at;
    }
    return "expired " + DurationInWords(now - *when) + " ago" + at;
  }

  std::string StudiesSummary(const nlohmann::json& studies)
  {
    if (!studies.is_array() || studies.empty())
    {
      return "-";
    }
    const nlohmann::json& first = studies.front();
    std::string text = Text(first, "PatientName", "?");
    const std::string patientId = Text(first, "PatientID");
    if (!patientId.empty())
    {
      text += " (" + patientId + ")";
    }
    const std::string date = FormatDate(Text(first, "StudyDate"));
    if (!date.empty())
    {
      text += " " + date;
    }
    const std::string description = Text(first, "StudyDescription");
    if (!description.empty())
    {
      text += " " + description;
    }
    if (studies.size() > 1)
    {
      text += " +" + std::to_string(studies.size() - 1) + " more";
    }
    return text;
  }

  std::string UsesText(const nlohmann::json& share)
  {
    std::string text = share.contains("Uses") && share["Uses"].is_number() ? share["Uses"].dump() : "0";
    if (share.contains("MaxUses") && share["MaxUses"].is_number())
    {
      text += "/" + share["MaxUses"].dump();
    }
    return text;
  }

  std::string ByteSizeText(int64_t bytes)
  {
    static const char* units[] = {"KiB", "MiB", "GiB", "TiB"};
    if (bytes < 1024)
    {
      return std::to_string(bytes) + " B";
    }
    double value = static_cast<double>(bytes) / 1024;
    size_t unit = 0;
    while (value >= 1024 && unit + 1 < sizeof(units) / sizeof(units[0]))
    {
      value /= 1024;
      ++unit;
    }
    char buffer[32];
    std::snprintf(buffer, sizeof(buffer), "%.1f %s", value, units[unit]);
    return buffer;
  }

  std::string ReceivedSummary(const nlohmann::json& share)
  {
    const nlohmann::json received = share.value("Received", nlohmann::json::object());
    const nlohmann::json studies = received.value("Studies", nlohmann::json::array());
    const int64_t instances = received.value("Instances", int64_t(0));
    if (!studies.is_array() || studies.empty())
    {
      return "inbox: nothing received yet";
    }
    return "inbox: " + std::to_string(studies.size()) + (studies.size() == 1 ? " study, " : " studies, ") +
           std::to_string(instances) + (instances == 1 ? " instance, " : " instances, ") +
           ByteSizeText(received.value("Bytes", int64_t(0))) + " (" + StudiesSummary(studies) + ")";
  }

  Table::Table(std::vector<std::string> header, size_t maxWidth) : maxWidth_(maxWidth)
  {
    rows_.push_back(std::move(header));
  }

  void Table::Add(std::vector<std::string> row)
  {
    for (std::string& cell : row)
    {
      cell = Shorten(cell, maxWidth_);
    }
    rows_.push_back(std::move(row));
  }

  void Table::Print(std::ostream& out) const
  {
    std::vector<size_t> widths;
    for (const auto& row : rows_)
    {
      widths.resize(std::max(widths.size(), row.size()), 0);
      for (size_t i = 0; i < row.size(); ++i)
      {
        widths[i] = std::max(widths[i], CharacterCount(row[i]));
      }
    }
    for (const auto& row : rows_)
    {
      std::string line;
      for (size_t i = 0; i < row.size(); ++i)
      {
        line += row[i];
        if (i + 1 < row.size())
        {
          line += std::string(widths[i] - CharacterCount(row[i]) + 2, ' ');
        }
      }
      out << line << "\n";
    }
  }
}
