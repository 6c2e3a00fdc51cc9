// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>

namespace studyshare
{
  // Lets one notice through per interval, so a log line that anyone can
  // cause (an anonymous request) cannot flood the log; says how many were
  // held back since the last one. Thread-safe.
  class NoticeThrottle
  {
  public:
    explicit NoticeThrottle(int64_t intervalSeconds) : interval_(intervalSeconds) {}

    // The number of notices held back since the last one let through, or
    // nullopt when this one must stay silent.
    std::optional<uint64_t> Admit(int64_t now)
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (last_ && now < *last_ + interval_)
      {
        held_++;
        return std::nullopt;
      }
      last_ = now;
      const uint64_t held = held_;
      held_ = 0;
      return held;
    }

  private:
    const int64_t interval_;
    std::mutex mutex_;
    std::optional<int64_t> last_;
    uint64_t held_ = 0;
  };
}
