// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>

namespace studyshare
{
  // Counts failed guesses in a sliding window, per client address and for the
  // whole server, so access codes cannot be enumerated. In memory: a restart
  // forgets, which only ever helps an attacker for one window.
  class AttemptLimiter
  {
  public:
    AttemptLimiter(int64_t windowSeconds, size_t perClient, size_t global);

    bool IsLimited(const std::string& client, int64_t now);
    void RecordFailure(const std::string& client, int64_t now);

  private:
    void Prune(std::deque<int64_t>& times, int64_t now) const;

    const int64_t window_;
    const size_t perClient_;
    const size_t global_;
    std::mutex mutex_;
    std::unordered_map<std::string, std::deque<int64_t>> byClient_;
    std::deque<int64_t> all_;
  };
}
