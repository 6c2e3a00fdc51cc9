// SPDX-License-Identifier: GPL-3.0-or-later
#include "MigrateStoreCommand.h"

#include "Commands.h"
#include "PostgresShareStore.h"
#include "SqliteShareStore.h"
#include "StoreMigration.h"

#include <filesystem>
#include <iostream>
#include <memory>

namespace studyshare::cli
{
  namespace
  {
    // "sqlite:PATH" or "postgresql:CONNECTION" (a libpq string or URI).
    std::unique_ptr<IShareStore> OpenStore(const std::string& spec, bool mustExist)
    {
      const std::string sqlite = "sqlite:";
      const std::string postgresql = "postgresql:";
      if (spec.rfind(sqlite, 0) == 0 && spec.size() > sqlite.size())
      {
        const std::string path = spec.substr(sqlite.size());
        if (mustExist && !std::filesystem::is_regular_file(path))
        {
          throw UsageError("no SQLite store at " + path);
        }
        return std::make_unique<SqliteShareStore>(path);
      }
      if (spec.rfind(postgresql, 0) == 0 && spec.size() > postgresql.size())
      {
        PostgresSettings settings;
        settings.connection = spec.substr(postgresql.size());
        // "postgresql://…" is itself a URI libpq reads; keep its scheme.
        if (settings.connection.rfind("//", 0) == 0)
        {
          settings.connection = spec;
        }
        return std::make_unique<PostgresShareStore>(settings, 0);
      }
      throw UsageError("a store is sqlite:PATH or postgresql:CONNECTION, not '" + spec + "'");
    }
  }

  int MigrateStoreCommand(const std::string& from, const std::string& to)
  {
    const std::unique_ptr<IShareStore> source = OpenStore(from, true);
    const std::unique_ptr<IShareStore> target = OpenStore(to, false);
    try
    {
      const StoreMigrationReport report = MigrateStore(*source, *target);
      std::cout << "shares: " << report.shares << " (copied " << report.copied << ", already there "
                << report.alreadyThere << ")\naudit events: " << report.auditEvents << "\nverified\n";
      return 0;
    }
    catch (const StoreMigrationConflict& e)
    {
      std::cerr << "studyshare: " << e.what() << "\n";
      return 1;
    }
  }
}
