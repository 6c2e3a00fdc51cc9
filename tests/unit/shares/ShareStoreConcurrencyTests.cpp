// SPDX-License-Identifier: GPL-3.0-or-later
// The store contract under concurrency: two objects on one database are two
// nodes; every limit must hold exactly.
#include "ShareStoreContract.h"

#include <atomic>
#include <thread>

using namespace studyshare;
using namespace studyshare::test;

template <typename Backend>
class ShareStoreConcurrency : public ShareStoreContract<Backend>
{
};
TYPED_TEST_SUITE(ShareStoreConcurrency, StoreKinds, StoreNames);

TYPED_TEST(ShareStoreConcurrency, AnotherNodeSeesWritesAndTheChangeStampMoves)
{
  IShareStore& store = this->Store();
  IShareStore& other = this->OtherNode();
  store.Create(MakeShare("s1", "alice", kNow), Event("s1", kNow, "create"));
  ASSERT_TRUE(other.Lookup("s1").has_value());
  const uint64_t before = store.ExternalChangeStamp();
  other.Revoke("s1", kNow, Event("s1", kNow, "revoke"));
  EXPECT_TRUE(store.Lookup("s1")->revokedAt.has_value());
  // SQLite's stamp moves at the commit; PostgreSQL's when the notification
  // arrives, which takes milliseconds: wait for it, without a fixed sleep.
  const auto giveUp = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (store.ExternalChangeStamp() == before && std::chrono::steady_clock::now() < giveUp)
  {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  EXPECT_NE(before, store.ExternalChangeStamp());
}

TYPED_TEST(ShareStoreConcurrency, ParallelUsesOnTwoNodesStopExactlyAtTheLimit)
{
  IShareStore& store = this->Store();
  IShareStore& other = this->OtherNode();
  Share share = MakeShare("s1", "alice", kNow);
  share.maxUses = 13;
  store.Create(share, Event("s1", kNow, "create"));
  std::atomic<int> granted{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 20; i++)
  {
    threads.emplace_back(
      [&, i]
      {
        if ((i % 2 == 0 ? store : other).ConsumeUse("s1"))
        {
          granted++;
        }
      });
  }
  for (std::thread& thread : threads)
  {
    thread.join();
  }
  EXPECT_EQ(13, granted.load());
  EXPECT_EQ(13, store.Lookup("s1")->uses);
}

TYPED_TEST(ShareStoreConcurrency, ParallelFailedAttemptsReserveExactlyTheLimit)
{
  IShareStore& store = this->Store();
  IShareStore& other = this->OtherNode();
  store.Create(MakeShare("s1", "alice", kNow), Event("s1", kNow, "create"));
  std::atomic<int> reserved{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 40; i++)
  {
    threads.emplace_back(
      [&, i]
      {
        if ((i % 2 == 0 ? store : other).ReserveFailedAttempt("s1", "192.0.2.1", kNow, kNow - 900, 5))
        {
          reserved++;
        }
      });
  }
  for (std::thread& thread : threads)
  {
    thread.join();
  }
  EXPECT_EQ(5, reserved.load());
  EXPECT_EQ(5, store.CountFailedAttempts("s1", kNow - 900));
  EXPECT_FALSE(store.ReserveFailedAttempt("s1", "192.0.2.9", kNow, kNow - 900, 5).has_value());
  // Older attempts than the window do not count; other shares are apart.
  EXPECT_TRUE(store.ReserveFailedAttempt("s1", "192.0.2.9", kNow + 1000, kNow + 1, 5).has_value());
  EXPECT_TRUE(store.ReserveFailedAttempt("s2", "192.0.2.9", kNow, kNow - 900, 5).has_value());
}

TYPED_TEST(ShareStoreConcurrency, ReleasedAttemptIsNoFailure)
{
  IShareStore& store = this->Store();
  store.Create(MakeShare("s1", "alice", kNow), Event("s1", kNow, "create"));
  const auto first = store.ReserveFailedAttempt("s1", "192.0.2.1", kNow, kNow - 900, 2);
  const auto second = store.ReserveFailedAttempt("s1", "192.0.2.1", kNow, kNow - 900, 2);
  ASSERT_TRUE(first && second);
  EXPECT_NE(*first, *second);
  EXPECT_FALSE(store.ReserveFailedAttempt("s1", "192.0.2.1", kNow, kNow - 900, 2));
  store.ReleaseFailedAttempt(*first);
  EXPECT_EQ(1, store.CountFailedAttempts("s1", kNow - 900));
  EXPECT_TRUE(store.ReserveFailedAttempt("s1", "192.0.2.1", kNow, kNow - 900, 2));
}

TYPED_TEST(ShareStoreConcurrency, CodeGuessesAreLimitedPerClientAndNeverLockOutAClientThatHasNotFailed)
{
  IShareStore& store = this->Store();
  IShareStore& other = this->OtherNode();
  IShareStore::CodeGuessLimits limits;
  limits.since = kNow - 59;
  limits.perClient = 3;
  limits.global = 10;
  std::atomic<int> granted{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 12; i++)
  {
    threads.emplace_back(
      [&, i]
      {
        if ((i % 2 == 0 ? store : other).ReserveCodeGuess("198.51.100.1", kNow, limits))
        {
          granted++;
        }
      });
  }
  for (std::thread& thread : threads)
  {
    thread.join();
  }
  EXPECT_EQ(3, granted.load());  // per client, exactly, across both nodes
  // A flood from many other addresses fills the global count...
  for (int i = 0; i < 20; i++)
  {
    store.ReserveCodeGuess("203.0.113." + std::to_string(i), kNow, limits);
    store.ReserveCodeGuess("203.0.113." + std::to_string(i), kNow, limits);
  }
  // ...so clients that failed are refused, but one that never failed is not.
  EXPECT_FALSE(store.ReserveCodeGuess("203.0.113.1", kNow, limits).has_value());
  const auto clean = other.ReserveCodeGuess("192.0.2.77", kNow, limits);
  ASSERT_TRUE(clean.has_value());
  other.ReleaseCodeGuess(*clean);  // a valid code: not a failure
  EXPECT_TRUE(store.ReserveCodeGuess("192.0.2.77", kNow, limits).has_value());
  // After the window everything is forgotten.
  limits.since = kNow + 60;
  EXPECT_TRUE(store.ReserveCodeGuess("198.51.100.1", kNow + 60, limits).has_value());
}

TYPED_TEST(ShareStoreConcurrency, RequestStringsThatAreNotUtf8AreKept)
{
  IShareStore& store = this->Store();
  store.Create(MakeShare("s1", "alice", kNow), Event("s1", kNow, "create"));
  AuditEvent open = Event("s1", kNow, "open", "success");
  open.userAgent = std::string("agent\xff\xfe") + '\0' + "end";
  store.AppendAudit(open);
  const auto events = store.ListAudit("s1");
  ASSERT_EQ(2u, events.size());
  EXPECT_EQ(0u, events[1].userAgent.find("agent"));
}
