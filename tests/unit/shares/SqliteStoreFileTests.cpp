// SPDX-License-Identifier: GPL-3.0-or-later
// The SQLite store's file taken away under a running store: deleted or
// moved. Writing on into an unlinked file would lose it all at the next
// start, so the store refuses until a file is back at its path.
#include "SqliteShareStore.h"

#include "TestSupport.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <functional>

using namespace studyshare;
using namespace studyshare::test;

namespace
{
  Share MakeShare(const std::string& id)
  {
    Share share;
    share.id = id;
    share.studies = {Study(kStudyA, kStudyUidA)};
    share.createdAt = kNow;
    return share;
  }

  void ExpectRefusedNamingTheFile(const std::function<void()>& operation, const std::string& path)
  {
    try
    {
      operation();
      ADD_FAILURE() << "the store answered without its file";
    }
    catch (const StoreUnavailable& e)
    {
      EXPECT_NE(std::string::npos, std::string(e.what()).find(path + " was deleted or moved")) << e.what();
    }
  }
}

TEST(SqliteStoreFileTests, MovedAwayIsRefusedAndMovedBackIsUsedAgain)
{
  TempDir dir;
  const std::string path = dir.File("shares.db");
  SqliteShareStore store(path);
  store.Create(MakeShare("s1"), Event("s1", kNow, "create"));
  ASSERT_EQ(0, std::rename(path.c_str(), dir.File("elsewhere.db").c_str()));

  ExpectRefusedNamingTheFile([&] { store.Create(MakeShare("s2"), Event("s2", kNow, "create")); }, path);
  ExpectRefusedNamingTheFile([&] { store.Lookup("s1"); }, path);
  EXPECT_FALSE(std::filesystem::exists(path)) << "an empty store was made in its place";

  ASSERT_EQ(0, std::rename(dir.File("elsewhere.db").c_str(), path.c_str()));
  EXPECT_TRUE(store.Lookup("s1").has_value());
  store.Create(MakeShare("s2"), Event("s2", kNow, "create"));
  SqliteShareStore reopened(path);
  EXPECT_TRUE(reopened.Lookup("s1").has_value());
  EXPECT_TRUE(reopened.Lookup("s2").has_value());
}

TEST(SqliteStoreFileTests, InMemoryStoreHasNoFileToLose)
{
  SqliteShareStore store(":memory:");
  store.Create(MakeShare("s1"), Event("s1", kNow, "create"));
  EXPECT_TRUE(store.Lookup("s1").has_value());
}
