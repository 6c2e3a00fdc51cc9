// SPDX-License-Identifier: GPL-3.0-or-later
#include "ShareStoreFactory.h"

#include "PostgresShareStore.h"
#include "PostgresStaffSessionRecords.h"
#include "SqliteShareStore.h"

namespace studyshare
{
  OpenedShareStore OpenShareStore(const StudyShareConfig& config)
  {
    OpenedShareStore opened;
    if (config.storeType == "postgresql")
    {
      auto store = std::make_unique<PostgresShareStore>(config.postgres);
      opened.staffSessions = std::make_unique<PostgresStaffSessionRecords>(store->Pool());
      opened.store = std::move(store);
      opened.stampInterval = std::chrono::milliseconds(0);
      opened.description = "PostgreSQL";
      return opened;
    }
    opened.store = std::make_unique<SqliteShareStore>(config.storePath);
    opened.description = "SQLite " + config.storePath;
    return opened;
  }
}
