// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>

namespace studyshare
{
  // Bounds how many Argon2id computations run at once: each holds 64 MiB for
  // about 100 ms, so parallel requests naming a user could otherwise take
  // gigabytes. Callers wait in a short queue; when the queue is full (or the
  // wait too long) a bounded caller is refused instead.
  class HashSlots
  {
  public:
    HashSlots(size_t concurrent, size_t maxWaiting, std::chrono::milliseconds maxWait);
    HashSlots(const HashSlots&) = delete;
    HashSlots& operator=(const HashSlots&) = delete;

    // The one set every password hash of the process goes through.
    static HashSlots& Process();

    // false (at once, or after maxWait) when no slot could be had.
    bool TryAcquire();
    // Waits as long as needed: for callers that cannot answer "busy".
    void Acquire();
    void Release();

    size_t Running() const;
    size_t Waiting() const;
    size_t Concurrent() const { return concurrent_; }
    size_t MaxWaiting() const { return maxWaiting_; }

  private:
    const size_t concurrent_;
    const size_t maxWaiting_;
    const std::chrono::milliseconds maxWait_;
    mutable std::mutex mutex_;
    std::condition_variable freed_;
    size_t running_ = 0;
    size_t waiting_ = 0;
  };

  // Holds one slot for a scope.
  class HashSlot
  {
  public:
    explicit HashSlot(HashSlots& slots) : slots_(slots) {}
    HashSlot(const HashSlot&) = delete;
    HashSlot& operator=(const HashSlot&) = delete;
    ~HashSlot() { slots_.Release(); }

  private:
    HashSlots& slots_;
  };
}
