// SPDX-License-Identifier: GPL-3.0-or-later
#include "StoreFolder.h"

#include "TestSupport.h"

#include <gtest/gtest.h>

#include <sys/stat.h>

#include <fstream>

using namespace studyshare;
using namespace studyshare::test;

namespace
{
  mode_t ModeOf(const std::string& path)
  {
    struct stat info = {};
    EXPECT_EQ(0, ::stat(path.c_str(), &info)) << path;
    return info.st_mode & 07777;
  }
}

TEST(StoreFolderTests, MissingFoldersAreCreatedPrivate)
{
  TempDir dir;
  const std::string store = dir.File("state/deeper/studyshare.db");
  EnsureStoreFolder(store, "--store");
  EXPECT_EQ(0700u, ModeOf(dir.File("state/deeper")));
  EXPECT_EQ(0755u, ModeOf(dir.File("state")) & 0755u);
  EXPECT_NO_THROW(EnsureStoreFolder(store, "--store")) << "an existing folder is fine";
}

TEST(StoreFolderTests, AFolderThatCannotBeMadeIsNamedWithTheSetting)
{
  TempDir dir;
  std::ofstream(dir.File("file")) << "not a folder";
  try
  {
    EnsureStoreFolder(dir.File("file/studyshare.db"), "StudyShare.Store.Path");
    FAIL() << "accepted a store under a file";
  }
  catch (const StoreFolderError& e)
  {
    const std::string message = e.what();
    EXPECT_NE(std::string::npos, message.find(dir.File("file"))) << message;
    EXPECT_NE(std::string::npos, message.find("StudyShare.Store.Path")) << message;
  }
  EXPECT_THROW(EnsureStoreFolder(dir.File("file/sub/studyshare.db"), "--store"), StoreFolderError);
}

TEST(StoreFolderTests, StateDirectoryComesFromSystemd)
{
  ::unsetenv("STATE_DIRECTORY");
  EXPECT_EQ("/var/lib/studyshare", DefaultStateDirectory("/var/lib/studyshare"));
  ::setenv("STATE_DIRECTORY", "/var/lib/a:/var/lib/b", 1);
  EXPECT_EQ("/var/lib/a", DefaultStateDirectory("/var/lib/studyshare"));
  ::setenv("STATE_DIRECTORY", "", 1);
  EXPECT_EQ("/x", DefaultStateDirectory("/x"));
  ::unsetenv("STATE_DIRECTORY");
}
