// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "PostgresConnection.h"

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace studyshare
{
  // A thread holding one connection that LISTENs on the share channel. Every
  // notification moves the stamp, and so does losing or regaining the
  // connection (changes may have been missed), so caches empty themselves;
  // while it is down, the cache lifetime alone bounds staleness.
  class PostgresChangeListener
  {
  public:
    explicit PostgresChangeListener(PostgresSettings settings);
    ~PostgresChangeListener();
    PostgresChangeListener(const PostgresChangeListener&) = delete;
    PostgresChangeListener& operator=(const PostgresChangeListener&) = delete;

    uint64_t Stamp() const { return stamp_.load(std::memory_order_acquire); }
    bool IsListening() const { return listening_.load(); }

  private:
    void Run();
    void ListenOnce();

    const PostgresSettings settings_;
    std::atomic<uint64_t> stamp_{1};
    std::atomic<bool> listening_{false};
    std::atomic<bool> stopping_{false};
    std::mutex mutex_;
    std::condition_variable wake_;
    std::thread thread_;
  };
}
