// SPDX-License-Identifier: GPL-3.0-or-later
#include "MailTimeZone.h"

#include <date/tz.h>

#include <stdexcept>

namespace studyshare
{
  namespace
  {
    const date::time_zone* FindZone(const std::string& name)
    {
      try
      {
        return date::locate_zone(name);
      }
      catch (const std::exception&)
      {
        return nullptr;
      }
    }
  }

  bool IsKnownTimeZone(const std::string& name)
  {
    return !name.empty() && FindZone(name) != nullptr;
  }

  int64_t UtcOffsetAt(const std::string& zoneName, int64_t secondsSinceEpoch)
  {
    const date::time_zone* zone = FindZone(zoneName);
    if (zone == nullptr)
    {
      throw std::invalid_argument("unknown time zone " + zoneName);
    }
    const date::sys_seconds instant{std::chrono::seconds(secondsSinceEpoch)};
    return zone->get_info(instant).offset.count();
  }
}
