// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

namespace studyshare
{
  class BackupError : public std::runtime_error
  {
  public:
    using std::runtime_error::runtime_error;
  };

  struct SqliteBackupReport
  {
    int64_t shares = 0;
    int64_t auditEvents = 0;
    int64_t schemaVersion = 0;
  };

  // Copies a live SQLite share store with SQLite's online backup API: one
  // consistent snapshot, whatever Orthanc writes meanwhile (a plain copy of
  // the file misses what is still in its -wal file). The copy is written
  // beside `target`, checked (integrity_check, it holds the share tables),
  // made a single file (journal_mode DELETE), and only then put in place:
  // a failed backup leaves no half-written file. An existing `target` is
  // kept unless `overwrite`.
  SqliteBackupReport BackUpSqliteStore(const std::string& source, const std::string& target, bool overwrite);
}
