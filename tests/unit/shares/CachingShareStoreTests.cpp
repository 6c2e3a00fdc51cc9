// SPDX-License-Identifier: GPL-3.0-or-later
#include "CachingShareStore.h"

#include "SqliteShareStore.h"
#include "TestSupport.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

using namespace studyshare;
using namespace studyshare::test;

namespace
{
  class CachingShareStoreTests : public ::testing::Test
  {
  protected:
    void SetUp() override
    {
      Share share;
      share.id = "s1";
      share.studies = {Study(kStudyA, kStudyUidA)};
      share.createdAt = kNow;
      sqlite.Create(share, Event("s1", kNow, "create"));
    }
    TempDir dir;
    SqliteShareStore sqlite{dir.File("shares.db")};
    FlakyStore counted{sqlite};
  };
}

TEST_F(CachingShareStoreTests, LookupsAreCached)
{
  CachingShareStore cache(counted, std::chrono::minutes(1));
  ASSERT_TRUE(cache.Lookup("s1").has_value());
  ASSERT_TRUE(cache.Lookup("s1").has_value());
  EXPECT_FALSE(cache.Lookup("missing").has_value());
  EXPECT_FALSE(cache.Lookup("missing").has_value());
  EXPECT_EQ(2, counted.lookups);
}

TEST_F(CachingShareStoreTests, RevokeThroughTheCacheIsVisibleAtOnce)
{
  CachingShareStore cache(counted, std::chrono::hours(1));
  ASSERT_FALSE(cache.Lookup("s1")->revokedAt.has_value());
  ASSERT_TRUE(cache.Revoke("s1", kNow + 5, Event("s1", kNow + 5, "revoke")));
  const auto after = cache.Lookup("s1");
  ASSERT_TRUE(after.has_value());
  EXPECT_EQ(kNow + 5, after->revokedAt);
  EXPECT_EQ(ShareState::Revoked, after->StateAt(kNow));
}

TEST_F(CachingShareStoreTests, CreateDropsANegativeEntry)
{
  CachingShareStore cache(counted, std::chrono::hours(1));
  EXPECT_FALSE(cache.Lookup("s2").has_value());
  Share share;
  share.id = "s2";
  share.studies = {Study(kStudyB, kStudyUidB)};
  cache.Create(share, Event("s2", kNow, "create"));
  EXPECT_TRUE(cache.Lookup("s2").has_value());
}

TEST_F(CachingShareStoreTests, RevocationOnAnotherNodeShowsAfterTheLifetime)
{
  CachingShareStore cache(counted, std::chrono::milliseconds(50));
  ASSERT_FALSE(cache.Lookup("s1")->revokedAt.has_value());
  sqlite.Revoke("s1", kNow, Event("s1", kNow, "revoke"));  // another node, behind the cache's back
  std::this_thread::sleep_for(std::chrono::milliseconds(80));
  EXPECT_TRUE(cache.Lookup("s1")->revokedAt.has_value());
}

TEST_F(CachingShareStoreTests, ZeroLifetimeNeverCaches)
{
  CachingShareStore cache(counted, std::chrono::milliseconds(0));
  cache.Lookup("s1");
  cache.Lookup("s1");
  EXPECT_EQ(2, counted.lookups);
}

TEST_F(CachingShareStoreTests, ConsumeUseIsVisibleAtOnce)
{
  Share limited;
  limited.id = "lim";
  limited.studies = {Study(kStudyA, kStudyUidA)};
  limited.maxUses = 1;
  sqlite.Create(limited, Event("lim", kNow, "create"));
  CachingShareStore cache(counted, std::chrono::hours(1));
  EXPECT_EQ(ShareState::Active, cache.Lookup("lim")->StateAt(kNow));
  EXPECT_TRUE(cache.ConsumeUse("lim"));
  EXPECT_EQ(ShareState::Exhausted, cache.Lookup("lim")->StateAt(kNow));
}

TEST_F(CachingShareStoreTests, StoreFailuresPropagate)
{
  CachingShareStore cache(counted, std::chrono::hours(1));
  counted.failing = true;
  EXPECT_THROW(cache.Lookup("s1"), StoreUnavailable);
  EXPECT_THROW(cache.List(ShareFilter()), StoreUnavailable);
}

TEST_F(CachingShareStoreTests, PassThroughs)
{
  CachingShareStore cache(counted, std::chrono::hours(1));
  cache.AppendAudit(Event("s1", kNow + 1, "open"));
  EXPECT_EQ(2u, cache.ListAudit("s1").size());
  ShareFilter filter;
  EXPECT_EQ(1u, cache.List(filter).size());
}

TEST_F(CachingShareStoreTests, ANewAccessCodeThroughTheCacheIsVisibleAtOnce)
{
  CachingShareStore cache(counted, std::chrono::hours(1));
  EXPECT_EQ("", cache.Lookup("s1")->accessCodeHash);
  ASSERT_TRUE(cache.ReplaceAccessCode("s1", "new-digest", Event("s1", kNow + 5, "access-code")));
  EXPECT_EQ("new-digest", cache.Lookup("s1")->accessCodeHash);
  EXPECT_EQ("s1", cache.FindByAccessCode("new-digest")->id);
}

TEST_F(CachingShareStoreTests, UnlockingGoesToTheStore)
{
  CachingShareStore cache(counted, std::chrono::hours(1));
  cache.RecordFailedAttempt("s1", "192.0.2.1", kNow);
  EXPECT_EQ((std::vector<int64_t>{kNow}), cache.ListFailedAttemptTimes("s1", kNow - 10));
  ASSERT_TRUE(cache.ClearFailedAttempts("s1", Event("s1", kNow + 1, "unlock")));
  EXPECT_EQ(0, sqlite.CountFailedAttempts("s1", 0));
}

// The token service reads the stamp before every lookup (no interval): a
// revocation committed by another process (here another connection to the
// same file) is refused by the very next lookup, and so is every lookup
// started after it from parallel threads.
TEST_F(CachingShareStoreTests, WithoutAnIntervalAnotherProcessRevocationShowsAtOnceOnEveryThread)
{
  CachingShareStore cache(sqlite, std::chrono::hours(1));
  SqliteShareStore otherProcess(dir.File("shares.db"));
  ASSERT_FALSE(cache.Lookup("s1")->revokedAt.has_value());

  std::atomic<bool> revoked{false};
  std::atomic<bool> stop{false};
  std::atomic<int> lookups{0};
  std::atomic<int> staleAfterRevocation{0};
  std::atomic<int> lookupsAfterRevocation{0};
  std::vector<std::thread> readers;
  for (int i = 0; i < 4; i++)
  {
    readers.emplace_back(
      [&]
      {
        while (!stop.load())
        {
          const bool revokedBefore = revoked.load();
          const auto share = cache.LookupShared("s1");
          lookups++;
          if (revokedBefore)
          {
            lookupsAfterRevocation++;
            if (!share->revokedAt.has_value())
            {
              staleAfterRevocation++;
            }
          }
        }
      });
  }
  const auto giveUp = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (lookups.load() < 40 && std::chrono::steady_clock::now() < giveUp)
  {
    std::this_thread::yield();  // the readers are running before the revocation
  }
  const bool revokedInStore = otherProcess.Revoke("s1", kNow, Event("s1", kNow, "revoke"));
  revoked = true;
  while (lookupsAfterRevocation.load() < 400 && std::chrono::steady_clock::now() < giveUp)
  {
    std::this_thread::yield();
  }
  stop = true;
  for (auto& reader : readers)
  {
    reader.join();  // before any ASSERT below can return
  }
  ASSERT_TRUE(revokedInStore);
  EXPECT_GE(lookupsAfterRevocation.load(), 400);
  EXPECT_EQ(0, staleAfterRevocation.load());
  EXPECT_TRUE(cache.Lookup("s1")->revokedAt.has_value());
}
