// SPDX-License-Identifier: GPL-3.0-or-later
// What only the PostgreSQL store does: concurrent migrations, bounded
// failures, shared staff sessions.
#include "PostgresStaffSessionRecords.h"
#include "ShareStoreContract.h"

#include <atomic>
#include <thread>

using namespace studyshare;
using namespace studyshare::test;

class PostgresOnly : public ::testing::Test
{
protected:
  void SetUp() override
  {
    if (PostgresTestCluster::SkipRequested())
    {
      GTEST_SKIP() << "STUDYSHARE_SKIP_POSTGRES=1: the PostgreSQL store is not tested";
    }
    settings.connection = PostgresTestCluster::Get().FreshDatabase();
  }
  PostgresSettings settings;
};

TEST_F(PostgresOnly, NodesStartingAtOnceOnAnEmptyDatabaseMigrateOnce)
{
  std::vector<std::unique_ptr<PostgresShareStore>> stores(6);
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (size_t i = 0; i < stores.size(); i++)
  {
    threads.emplace_back(
      [&, i]
      {
        try
        {
          stores[i] = std::make_unique<PostgresShareStore>(settings, 5);
        }
        catch (const std::exception&)
        {
          failures++;
        }
      });
  }
  for (std::thread& thread : threads)
  {
    thread.join();
  }
  EXPECT_EQ(0, failures.load());
  ASSERT_TRUE(stores[0]);
  EXPECT_EQ(PostgresShareStore::CurrentSchemaVersion(), stores[0]->GetSchemaVersion());
  stores[0]->Create(MakeShare("s1", "alice", kNow), Event("s1", kNow, "create"));
  EXPECT_TRUE(stores[5]->Lookup("s1").has_value());
}

TEST_F(PostgresOnly, UnreachableServerFailsWithinTheConnectTimeout)
{
  PostgresSettings unreachable;
  unreachable.connection = "host=127.0.0.1 port=1 user=postgres dbname=none";
  unreachable.connectTimeoutSeconds = 1;
  EXPECT_THROW(PostgresShareStore(unreachable, 0), StoreUnavailable);
}

TEST_F(PostgresOnly, StaffSessionsAreSharedBetweenNodes)
{
  PostgresShareStore first(settings);
  PostgresShareStore second(settings);
  PostgresStaffSessionRecords node1(first.Pool());
  PostgresStaffSessionRecords node2(second.Pool());
  node1.Put("digest-1", {"alice", StaffRole::Admin}, kNow);
  const auto seen = node2.Touch("digest-1", kNow + 10, 3600);
  ASSERT_TRUE(seen.has_value());
  EXPECT_EQ("alice", seen->name);
  EXPECT_EQ(StaffRole::Admin, seen->role);
  EXPECT_FALSE(node2.Touch("digest-1", kNow + 10 + 3600, 3600).has_value());  // idle
  node1.Put("digest-2", {"bob", StaffRole::Sharer}, kNow);
  node2.Remove("digest-2");
  EXPECT_FALSE(node1.Touch("digest-2", kNow + 1, 3600).has_value());
  EXPECT_FALSE(node1.Touch("unknown", kNow, 3600).has_value());
}
