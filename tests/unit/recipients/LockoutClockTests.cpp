// SPDX-License-Identifier: GPL-3.0-or-later
#include "LockoutClock.h"

#include "SqliteShareStore.h"
#include "TestSupport.h"

#include <gtest/gtest.h>

using namespace studyshare;
using namespace studyshare::test;

namespace
{
  class LockoutClockTests : public ::testing::Test
  {
  protected:
    LockoutClockTests()
    {
      Share share;
      share.id = "s1";
      share.studies = {Study(kStudyA, kStudyUidA)};
      share.createdAt = kNow - 10000;
      store.Create(share, Event("s1", kNow - 10000, "create"));
    }

    TempDir dir;
    SqliteShareStore store{dir.File("shares.db")};
  };
}

TEST_F(LockoutClockTests, OpensWhenTheOldestCountedFailureLeavesTheWindow)
{
  // Window 900 s, limit 3: failures at -600, -500, -100 lock the share until
  // the one at -600 has left the window: it counts through now + 300 (the
  // window reaches back 900 s inclusive), so the share opens at now + 301.
  for (int64_t ago : {600, 500, 100})
  {
    store.RecordFailedAttempt("s1", "10.0.0.1", kNow - ago);
  }
  EXPECT_EQ(kNow + 301, LockedUntil(store, "s1", kNow, 900, 3));
  // With a fourth failure, two must leave: the lock lasts until -500 has.
  store.RecordFailedAttempt("s1", "10.0.0.2", kNow - 50);
  EXPECT_EQ(kNow + 401, LockedUntil(store, "s1", kNow, 900, 3));
}

TEST_F(LockoutClockTests, AFailureNowLocksForTheWholeWindow)
{
  for (int i = 0; i < 3; ++i)
  {
    store.RecordFailedAttempt("s1", "10.0.0.1", kNow);
  }
  EXPECT_EQ(kNow + 901, LockedUntil(store, "s1", kNow, 900, 3));
}

TEST_F(LockoutClockTests, AnOpenShareIsOpenNow)
{
  store.RecordFailedAttempt("s1", "10.0.0.1", kNow - 10);
  EXPECT_EQ(kNow, LockedUntil(store, "s1", kNow, 900, 3));
  // Failures older than the window do not count.
  for (int i = 0; i < 5; ++i)
  {
    store.RecordFailedAttempt("s1", "10.0.0.1", kNow - 5000);
  }
  EXPECT_EQ(kNow, LockedUntil(store, "s1", kNow, 900, 3));
}
