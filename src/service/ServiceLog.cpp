// SPDX-License-Identifier: GPL-3.0-or-later
#include "ServiceLog.h"

#include "IsoTime.h"

#include <ctime>
#include <iostream>
#include <mutex>

namespace studyshare
{
  void LogEvent(const std::string& level, const std::string& event, nlohmann::json fields)
  {
    fields["time"] = FormatIsoTime(static_cast<int64_t>(std::time(nullptr)));
    fields["level"] = level;
    fields["event"] = event;
    const std::string line = fields.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    static std::mutex mutex;
    std::lock_guard<std::mutex> lock(mutex);
    std::cerr << line << '\n' << std::flush;
  }
}
