// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace studyshare
{
  // Structured logs: one JSON object per line on stderr, for journald or a
  // log shipper. Callers pass event fields only; a token, password or
  // request body never goes in here.
  void LogEvent(const std::string& level, const std::string& event, nlohmann::json fields = nlohmann::json::object());
}
