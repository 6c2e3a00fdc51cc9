// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <string>

namespace studyshare
{
  // Time zones by IANA name ("Europe/Paris"), read from the system's time
  // zone database (Debian's tzdata) through the date-tz library.
  bool IsKnownTimeZone(const std::string& name);

  // The zone's offset from UTC at that instant, daylight saving included;
  // throws std::invalid_argument for an unknown zone.
  int64_t UtcOffsetAt(const std::string& zoneName, int64_t secondsSinceEpoch);
}
