// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace studyshare::http
{
  // Threads for the work that may block (store, PostgreSQL, password
  // hashing), so that the io threads never do. The queue is bounded: a
  // job beyond it is refused at once, and the caller answers 503.
  class WorkerPool
  {
  public:
    WorkerPool(size_t threads, size_t maxQueued);
    ~WorkerPool();

    WorkerPool(const WorkerPool&) = delete;
    WorkerPool& operator=(const WorkerPool&) = delete;

    // False when the queue is full or the pool stopped; the job is then
    // not run.
    bool TrySubmit(std::function<void()> job);

    // Runs what is queued, then joins the threads. Idempotent.
    void Stop();

  private:
    void Work();

    const size_t maxQueued_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<std::function<void()>> queue_;
    bool stopping_ = false;
    std::vector<std::thread> threads_;
  };
}
