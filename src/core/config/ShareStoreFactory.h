// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "IShareStore.h"
#include "IStaffSessionRecords.h"
#include "StudyShareConfig.h"

#include <chrono>
#include <memory>

namespace studyshare
{
  // The store the configuration names, with what differs between kinds.
  struct OpenedShareStore
  {
    std::unique_ptr<IShareStore> store;
    // Shared staff sessions (PostgreSQL); null: sessions stay in memory.
    std::unique_ptr<IStaffSessionRecords> staffSessions;
    // How often a cache may read the store's change stamp: PostgreSQL's is
    // pushed by notifications and free to read; SQLite's reads the file.
    std::chrono::milliseconds stampInterval{250};
    std::string description;  // for the log: never the connection string (it may hold a password)
  };

  OpenedShareStore OpenShareStore(const StudyShareConfig& config);
}
