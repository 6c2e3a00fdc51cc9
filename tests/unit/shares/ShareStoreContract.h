// SPDX-License-Identifier: GPL-3.0-or-later
// The share store's contract, run on every store: SQLite (a temporary file)
// and PostgreSQL (a fresh database in a private cluster, see
// PostgresTestCluster.h). Two objects on one database stand for two nodes.
#pragma once

#include "PostgresShareStore.h"
#include "PostgresTestCluster.h"
#include "SqliteShareStore.h"
#include "TestSupport.h"

#include <gtest/gtest.h>

#include <memory>

namespace studyshare::test
{
  inline Share MakeShare(const std::string& id, const std::string& createdBy, int64_t createdAt,
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

  inline std::vector<std::string> Ids(const std::vector<Share>& shares)
  {
    std::vector<std::string> ids;
    for (const Share& s : shares)
    {
      ids.push_back(s.id);
    }
    return ids;
  }

  struct SqliteBackend
  {
    TempDir dir;
    std::string path = dir.File("shares.db");
    static bool Skipped() { return false; }
    std::unique_ptr<IShareStore> Open() { return std::make_unique<SqliteShareStore>(path); }
  };

  struct PostgresBackend
  {
    std::string connection;
    static bool Skipped() { return PostgresTestCluster::SkipRequested(); }
    std::unique_ptr<IShareStore> Open()
    {
      if (connection.empty())
      {
        connection = PostgresTestCluster::Get().FreshDatabase();
      }
      PostgresSettings settings;
      settings.connection = connection;
      settings.poolSize = 16;
      return std::make_unique<PostgresShareStore>(settings, 2);
    }
  };

  template <typename Backend>
  class ShareStoreContract : public ::testing::Test
  {
  protected:
    void SetUp() override
    {
      if (Backend::Skipped())
      {
        GTEST_SKIP() << "STUDYSHARE_SKIP_POSTGRES=1: the PostgreSQL store is not tested";
      }
    }
    IShareStore& Store()
    {
      if (!store_)
      {
        store_ = backend_.Open();
      }
      return *store_;
    }
    // A second object on the same database: another node (or process).
    IShareStore& OtherNode()
    {
      Store();
      if (!other_)
      {
        other_ = backend_.Open();
      }
      return *other_;
    }

  private:
    Backend backend_;
    std::unique_ptr<IShareStore> store_;
    std::unique_ptr<IShareStore> other_;
  };

  using StoreKinds = ::testing::Types<SqliteBackend, PostgresBackend>;
  class StoreNames
  {
  public:
    template <typename T>
    static std::string GetName(int)
    {
      return std::is_same_v<T, SqliteBackend> ? "Sqlite" : "Postgres";
    }
  };
}
