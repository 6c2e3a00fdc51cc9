// SPDX-License-Identifier: GPL-3.0-or-later
#include "AttemptLimiter.h"

namespace studyshare
{
  namespace
  {
    constexpr size_t kMaxTrackedClients = 100000;
  }

  AttemptLimiter::AttemptLimiter(int64_t windowSeconds, size_t perClient, size_t global)
    : window_(windowSeconds), perClient_(perClient), global_(global)
  {
  }

  void AttemptLimiter::Prune(std::deque<int64_t>& times, int64_t now) const
  {
    while (!times.empty() && times.front() <= now - window_)
    {
      times.pop_front();
    }
  }

  bool AttemptLimiter::IsLimited(const std::string& client, int64_t now)
  {
    std::lock_guard<std::mutex> lock(mutex_);
    Prune(all_, now);
    if (all_.size() >= global_)
    {
      return true;
    }
    auto found = byClient_.find(client);
    if (found == byClient_.end())
    {
      return false;
    }
    Prune(found->second, now);
    return found->second.size() >= perClient_;
  }

  void AttemptLimiter::RecordFailure(const std::string& client, int64_t now)
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (byClient_.size() >= kMaxTrackedClients)
    {
      for (auto it = byClient_.begin(); it != byClient_.end();)
      {
        Prune(it->second, now);
        it = it->second.empty() ? byClient_.erase(it) : std::next(it);
      }
    }
    byClient_[client].push_back(now);
    all_.push_back(now);
  }
}
