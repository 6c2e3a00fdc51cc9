// SPDX-License-Identifier: GPL-3.0-or-later
#include "StaffSignInLimiter.h"

#include <algorithm>

namespace studyshare
{
  namespace
  {
    // Past this many keys, keys whose attempts are all outside the window go.
    constexpr size_t kPruneAbove = 4096;
  }

  StaffSignInLimiter::StaffSignInLimiter(StaffSignInLimits limits) : limits_(limits) {}

  size_t StaffSignInLimiter::Count(Counts& counts, const std::string& key, int64_t now)
  {
    auto found = counts.find(key);
    if (found == counts.end())
    {
      return 0;
    }
    Times& times = found->second;
    while (!times.empty() && times.front() <= now - limits_.windowSeconds)
    {
      times.pop_front();
    }
    return times.size();
  }

  void StaffSignInLimiter::Add(Counts& counts, const std::string& key, int64_t now)
  {
    if (counts.size() > kPruneAbove)
    {
      for (auto it = counts.begin(); it != counts.end();)
      {
        const bool stale = it->second.empty() || it->second.back() <= now - limits_.windowSeconds;
        it = stale ? counts.erase(it) : std::next(it);
      }
    }
    counts[key].push_back(now);
  }

  void StaffSignInLimiter::Forgive(Counts& counts, const std::string& key, int64_t begunAt)
  {
    auto found = counts.find(key);
    if (found == counts.end())
    {
      return;
    }
    Times& times = found->second;
    auto attempt = std::find(times.begin(), times.end(), begunAt);
    if (attempt != times.end())
    {
      times.erase(attempt);
    }
  }

  bool StaffSignInLimiter::Begin(const std::string& client, const std::string& user, int64_t now)
  {
    std::lock_guard<std::mutex> lock(mutex_);
    // Without an address (a caller that has none to give) only the user is counted.
    const bool countsClient = !client.empty();
    if ((countsClient && Count(byClient_, client, now) >= limits_.failuresPerClient) ||
        (limits_.countsUsers && Count(byUser_, user, now) >= limits_.failuresPerUser))
    {
      return false;
    }
    if (countsClient)
    {
      Add(byClient_, client, now);
    }
    if (limits_.countsUsers)
    {
      Add(byUser_, user, now);
    }
    return true;
  }

  void StaffSignInLimiter::Succeeded(const std::string& client, const std::string& user, int64_t begunAt)
  {
    std::lock_guard<std::mutex> lock(mutex_);
    Forgive(byClient_, client, begunAt);
    Forgive(byUser_, user, begunAt);
  }
}
