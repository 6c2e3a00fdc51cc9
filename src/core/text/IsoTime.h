// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace studyshare
{
  // "YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)"; the zone is required,
  // because a date without one means different instants on different servers.
  std::optional<int64_t> ParseIsoTime(const std::string& text);

  // "YYYY-MM-DDTHH:MM:SSZ"
  std::string FormatIsoTime(int64_t secondsSinceEpoch);
}
