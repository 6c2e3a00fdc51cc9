// SPDX-License-Identifier: GPL-3.0-or-later
#include "MailTemplates.h"

#include <algorithm>
#include <cstdio>
#include <ctime>

namespace studyshare
{
  namespace
  {
    const char* kMonths[4][12] = {{"January", "February", "March", "April", "May", "June", "July", "August",
                                   "September", "October", "November", "December"},
                                  {"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
                                   "octobre", "novembre", "décembre"},
                                  {"Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
                                   "Oktober", "November", "Dezember"},
                                  {"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
                                   "septiembre", "octubre", "noviembre", "diciembre"}};

    size_t LanguageIndex(const std::string& language)
    {
      const auto& languages = MailTemplates::Languages();
      const auto it = std::find(languages.begin(), languages.end(), language);
      return it == languages.end() ? 0 : static_cast<size_t>(it - languages.begin());
    }
  }

  std::string FormatMailDate(int64_t secondsSinceEpoch, const std::string& language, int64_t utcOffsetSeconds,
                             const std::string& zoneName)
  {
    const time_t local = static_cast<time_t>(secondsSinceEpoch + utcOffsetSeconds);
    struct tm parts = {};
    gmtime_r(&local, &parts);
    const size_t index = LanguageIndex(language);
    const char* month = kMonths[index][parts.tm_mon];
    const int64_t offsetMinutes = (utcOffsetSeconds < 0 ? -utcOffsetSeconds : utcOffsetSeconds) / 60;
    char zone[32];
    if (utcOffsetSeconds == 0)
    {
      snprintf(zone, sizeof(zone), "UTC");
    }
    else
    {
      snprintf(zone, sizeof(zone), "UTC%c%02d:%02d", utcOffsetSeconds < 0 ? '-' : '+',
               static_cast<int>(offsetMinutes / 60), static_cast<int>(offsetMinutes % 60));
    }
    const std::string named = zoneName.empty() ? std::string(zone) : zoneName + ", " + zone;
    char buffer[192];
    const int year = parts.tm_year + 1900;
    switch (index)
    {
      case 1:
        snprintf(buffer, sizeof(buffer), "%d %s %d à %02d:%02d (%s)", parts.tm_mday, month, year, parts.tm_hour,
                 parts.tm_min, named.c_str());
        break;
      case 2:
        snprintf(buffer, sizeof(buffer), "%d. %s %d, %02d:%02d Uhr (%s)", parts.tm_mday, month, year, parts.tm_hour,
                 parts.tm_min, named.c_str());
        break;
      case 3:
        snprintf(buffer, sizeof(buffer), "%d de %s de %d, %02d:%02d (%s)", parts.tm_mday, month, year, parts.tm_hour,
                 parts.tm_min, named.c_str());
        break;
      default:
        snprintf(buffer, sizeof(buffer), "%d %s %d, %02d:%02d (%s)", parts.tm_mday, month, year, parts.tm_hour,
                 parts.tm_min, named.c_str());
    }
    return buffer;
  }

  std::string FormatMailDay(const std::string& dicomDate, const std::string& language)
  {
    if (dicomDate.size() != 8 || dicomDate.find_first_not_of("0123456789") != std::string::npos)
    {
      return dicomDate;
    }
    const int year = std::stoi(dicomDate.substr(0, 4));
    const int month = std::stoi(dicomDate.substr(4, 2));
    const int day = std::stoi(dicomDate.substr(6, 2));
    if (month < 1 || month > 12 || day < 1 || day > 31)
    {
      return dicomDate;
    }
    const size_t index = LanguageIndex(language);
    const std::string name = kMonths[index][month - 1];
    switch (index)
    {
      case 2:
        return std::to_string(day) + ". " + name + " " + std::to_string(year);
      case 3:
        return std::to_string(day) + " de " + name + " de " + std::to_string(year);
      default:
        return std::to_string(day) + " " + name + " " + std::to_string(year);
    }
  }
}
