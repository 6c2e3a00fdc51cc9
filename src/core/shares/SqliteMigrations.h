// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstddef>

namespace studyshare
{
  // The SQLite share store's schema: entry N moves a store from version N to
  // N + 1 (PRAGMA user_version counts the entries applied).
  extern const char* const kSqliteMigrations[];
  extern const size_t kSqliteMigrationCount;
}
