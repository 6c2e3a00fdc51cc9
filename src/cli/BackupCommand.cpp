// SPDX-License-Identifier: GPL-3.0-or-later
#include "BackupCommand.h"

#include "SqliteBackup.h"

#include <iostream>

namespace studyshare::cli
{
  int BackupCommand(const std::string& store, const std::string& to, bool force)
  {
    try
    {
      const SqliteBackupReport report = BackUpSqliteStore(store, to, force);
      std::cout << "backed up " << report.shares << " shares and " << report.auditEvents
                << " audit events (schema version " << report.schemaVersion << ") to " << to << "\n";
      return 0;
    }
    catch (const BackupError& e)
    {
      std::cerr << "studyshare: backup: " << e.what() << "\n";
      return 1;
    }
  }
}
