// SPDX-License-Identifier: GPL-3.0-or-later
#include "WorkerPool.h"

namespace studyshare::http
{
  WorkerPool::WorkerPool(size_t threads, size_t maxQueued) : maxQueued_(maxQueued)
  {
    threads_.reserve(threads);
    for (size_t i = 0; i < threads; ++i)
    {
      threads_.emplace_back([this] { Work(); });
    }
  }

  WorkerPool::~WorkerPool()
  {
    Stop();
  }

  bool WorkerPool::TrySubmit(std::function<void()> job)
  {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (stopping_ || queue_.size() >= maxQueued_)
      {
        return false;
      }
      queue_.push_back(std::move(job));
    }
    wake_.notify_one();
    return true;
  }

  void WorkerPool::Stop()
  {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    for (std::thread& thread : threads_)
    {
      if (thread.joinable())
      {
        thread.join();
      }
    }
  }

  void WorkerPool::Work()
  {
    for (;;)
    {
      std::function<void()> job;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
        if (queue_.empty())
        {
          return;  // stopping, and nothing left to run
        }
        job = std::move(queue_.front());
        queue_.pop_front();
      }
      job();
    }
  }
}
