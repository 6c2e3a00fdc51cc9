// SPDX-License-Identifier: GPL-3.0-or-later
#include "SqliteShareStore.h"

#include "SqliteDatabase.h"
#include "TestSupport.h"

#include <gtest/gtest.h>

using namespace studyshare;
using namespace studyshare::test;

namespace
{
  Share MakeShare(const std::string& id, const std::string& createdBy, int64_t createdAt,
                  std::vector<SharedStudy> studies = {Study(kStudyA, kStudyUidA)})
  {
    Share share;
    share.id = id;
    share.studies = std::move(studies);
    share.createdAt = createdAt;
    share.createdBy = createdBy;
    share.viewer = "stone";
    return share;
  }

  class SqliteShareStoreTests : public ::testing::Test
  {
  protected:
    TempDir dir;
    std::string path = dir.File("shares.db");
  };
}

TEST_F(SqliteShareStoreTests, DataSurvivesARestart)
{
  {
    SqliteShareStore store(path);
    store.Create(MakeShare("s1", "alice", kNow), Event("s1", kNow, "create"));
    store.Revoke("s1", kNow + 1, Event("s1", kNow + 1, "revoke"));
  }
  SqliteShareStore reopened(path);
  ASSERT_TRUE(reopened.Lookup("s1").has_value());
  EXPECT_EQ(kNow + 1, reopened.Lookup("s1")->revokedAt);
  EXPECT_EQ(2u, reopened.ListAudit("s1").size());
  EXPECT_EQ(SqliteShareStore::CurrentSchemaVersion(), reopened.GetSchemaVersion());
}

TEST_F(SqliteShareStoreTests, TwoObjectsOnOneFileSeeEachOther)
{
  SqliteShareStore first(path);
  SqliteShareStore second(path);
  first.Create(MakeShare("s1", "alice", kNow), Event("s1", kNow, "create"));
  ASSERT_TRUE(second.Lookup("s1").has_value());
  second.Revoke("s1", kNow, Event("s1", kNow, "revoke"));
  EXPECT_TRUE(first.Lookup("s1")->revokedAt.has_value());
}

TEST_F(SqliteShareStoreTests, SchemaVersionIsCurrent)
{
  SqliteShareStore store(path);
  EXPECT_GE(SqliteShareStore::CurrentSchemaVersion(), 1);
  EXPECT_EQ(SqliteShareStore::CurrentSchemaVersion(), store.GetSchemaVersion());
}

TEST_F(SqliteShareStoreTests, NewerSchemaIsRefused)
{
  {
    SqliteShareStore store(path);
  }
  {
    SqliteDatabase db(path);
    db.Execute("PRAGMA user_version = " + std::to_string(SqliteShareStore::CurrentSchemaVersion() + 1));
  }
  EXPECT_THROW(SqliteShareStore{path}, StoreUnavailable);
}

TEST_F(SqliteShareStoreTests, UnopenablePathThrowsStoreUnavailable)
{
  EXPECT_THROW(SqliteShareStore{dir.File("missing-folder/shares.db")}, StoreUnavailable);
}

TEST_F(SqliteShareStoreTests, NotADatabaseThrowsStoreUnavailable)
{
  {
    std::FILE* file = std::fopen(path.c_str(), "wb");
    ASSERT_NE(nullptr, file);
    const std::string junk(4096, 'x');
    std::fwrite(junk.data(), 1, junk.size(), file);
    std::fclose(file);
  }
  EXPECT_THROW(SqliteShareStore{path}, StoreUnavailable);
}
