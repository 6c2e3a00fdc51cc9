// SPDX-License-Identifier: GPL-3.0-or-later
#include "HashSlots.h"

#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <thread>
#include <vector>

using namespace studyshare;

namespace
{
  void WaitUntil(const std::function<bool()>& condition)
  {
    while (!condition())
    {
      std::this_thread::yield();
    }
  }
}

TEST(HashSlotsTests, QueueThenRefuse)
{
  HashSlots slots(1, 1, std::chrono::hours(1));
  ASSERT_TRUE(slots.TryAcquire());
  std::atomic<bool> queuedGotIt{false};
  std::thread queued([&] { queuedGotIt = slots.TryAcquire(); });
  WaitUntil([&] { return slots.Waiting() == 1; });
  EXPECT_FALSE(slots.TryAcquire()) << "the queue is full: refused at once";
  EXPECT_EQ(1u, slots.Running());
  slots.Release();
  queued.join();
  EXPECT_TRUE(queuedGotIt);
  EXPECT_EQ(1u, slots.Running());
  slots.Release();
  EXPECT_EQ(0u, slots.Running());
}

TEST(HashSlotsTests, AWaitTooLongIsRefused)
{
  HashSlots slots(1, 4, std::chrono::milliseconds(1));
  ASSERT_TRUE(slots.TryAcquire());
  EXPECT_FALSE(slots.TryAcquire());
  EXPECT_EQ(0u, slots.Waiting());
  slots.Release();
}

TEST(HashSlotsTests, NeverMoreRunningThanSlots)
{
  HashSlots slots(3, 100, std::chrono::hours(1));
  std::atomic<int> running{0};
  std::atomic<int> peak{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 24; i++)
  {
    threads.emplace_back(
      [&, i]
      {
        if (i % 2 == 0)
        {
          slots.Acquire();
        }
        else if (!slots.TryAcquire())
        {
          return;
        }
        const HashSlot slot(slots);
        const int now = ++running;
        int seen = peak.load();
        while (now > seen && !peak.compare_exchange_weak(seen, now))
        {
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
        --running;
      });
  }
  for (std::thread& thread : threads)
  {
    thread.join();
  }
  EXPECT_LE(peak.load(), 3);
  EXPECT_GE(peak.load(), 1);
  EXPECT_EQ(0u, slots.Running());
}
