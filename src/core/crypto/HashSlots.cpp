// SPDX-License-Identifier: GPL-3.0-or-later
#include "HashSlots.h"

namespace studyshare
{
  HashSlots::HashSlots(size_t concurrent, size_t maxWaiting, std::chrono::milliseconds maxWait)
    : concurrent_(concurrent == 0 ? 1 : concurrent), maxWaiting_(maxWaiting), maxWait_(maxWait)
  {
  }

  HashSlots& HashSlots::Process()
  {
    // 4 x 64 MiB at most; 16 more wait up to 2 s (a few hashes' time each).
    static HashSlots slots(4, 16, std::chrono::seconds(2));
    return slots;
  }

  bool HashSlots::TryAcquire()
  {
    std::unique_lock<std::mutex> lock(mutex_);
    if (running_ < concurrent_)
    {
      running_++;
      return true;
    }
    if (waiting_ >= maxWaiting_)
    {
      return false;
    }
    waiting_++;
    const bool freed = freed_.wait_for(lock, maxWait_, [this] { return running_ < concurrent_; });
    waiting_--;
    if (!freed)
    {
      return false;
    }
    running_++;
    return true;
  }

  void HashSlots::Acquire()
  {
    std::unique_lock<std::mutex> lock(mutex_);
    waiting_++;
    freed_.wait(lock, [this] { return running_ < concurrent_; });
    waiting_--;
    running_++;
  }

  void HashSlots::Release()
  {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      running_--;
    }
    freed_.notify_one();
  }

  size_t HashSlots::Running() const
  {
    std::lock_guard<std::mutex> lock(mutex_);
    return running_;
  }

  size_t HashSlots::Waiting() const
  {
    std::lock_guard<std::mutex> lock(mutex_);
    return waiting_;
  }
}
