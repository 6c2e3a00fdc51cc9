// SPDX-License-Identifier: GPL-3.0-or-later
#include "SqliteBackup.h"

#include <sqlite3.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <thread>

namespace studyshare
{
  namespace
  {
    constexpr int kBusyMilliseconds = 10000;

    class Connection
    {
    public:
      Connection(const std::string& path, int flags)
      {
        if (sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK)
        {
          const std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
          sqlite3_close(db_);
          throw BackupError("cannot open " + path + ": " + message);
        }
        sqlite3_busy_timeout(db_, kBusyMilliseconds);
      }
      ~Connection() { sqlite3_close(db_); }
      Connection(const Connection&) = delete;
      Connection& operator=(const Connection&) = delete;

      sqlite3* Handle() { return db_; }

      // The first column of the first row, as text ("" when there is none).
      std::string QueryText(const char* sql)
      {
        sqlite3_stmt* statement = nullptr;
        if (sqlite3_prepare_v2(db_, sql, -1, &statement, nullptr) != SQLITE_OK)
        {
          throw BackupError(std::string("cannot read the store: ") + sqlite3_errmsg(db_));
        }
        std::string value;
        const int step = sqlite3_step(statement);
        if (step == SQLITE_ROW && sqlite3_column_text(statement, 0) != nullptr)
        {
          value = reinterpret_cast<const char*>(sqlite3_column_text(statement, 0));
        }
        sqlite3_finalize(statement);
        if (step != SQLITE_ROW && step != SQLITE_DONE)
        {
          throw BackupError(std::string("cannot read the store: ") + sqlite3_errmsg(db_));
        }
        return value;
      }

      void Execute(const char* sql)
      {
        char* error = nullptr;
        if (sqlite3_exec(db_, sql, nullptr, nullptr, &error) != SQLITE_OK)
        {
          const std::string message = error ? error : sqlite3_errmsg(db_);
          sqlite3_free(error);
          throw BackupError("cannot finish the copy: " + message);
        }
      }

    private:
      sqlite3* db_ = nullptr;
    };

    void CopyPages(Connection& from, Connection& to)
    {
      sqlite3_backup* backup = sqlite3_backup_init(to.Handle(), "main", from.Handle(), "main");
      if (backup == nullptr)
      {
        throw BackupError(std::string("cannot start the backup: ") + sqlite3_errmsg(to.Handle()));
      }
      // All pages in one step: one read transaction, so one snapshot even in
      // WAL mode while Orthanc commits; retried while the source is busy.
      const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(kBusyMilliseconds);
      int status = SQLITE_OK;
      do
      {
        status = sqlite3_backup_step(backup, -1);
        if (status == SQLITE_BUSY || status == SQLITE_LOCKED)
        {
          std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
      } while ((status == SQLITE_OK || status == SQLITE_BUSY || status == SQLITE_LOCKED) &&
               std::chrono::steady_clock::now() < deadline);
      sqlite3_backup_finish(backup);
      if (status != SQLITE_DONE)
      {
        throw BackupError(status == SQLITE_BUSY || status == SQLITE_LOCKED
                            ? std::string("the store stayed locked for too long; try again")
                            : std::string("the copy failed: ") + sqlite3_errstr(status));
      }
    }

    int64_t Count(Connection& db, const char* sql)
    {
      return std::stoll(db.QueryText(sql));
    }
  }

  SqliteBackupReport BackUpSqliteStore(const std::string& source, const std::string& target, bool overwrite)
  {
    namespace fs = std::filesystem;
    std::error_code ignored;
    if (!fs::is_regular_file(source, ignored))
    {
      throw BackupError("no SQLite store at " + source);
    }
    if (fs::equivalent(source, target, ignored))
    {
      throw BackupError("the backup must be another file than the store");
    }
    if (fs::exists(fs::symlink_status(target, ignored)) && !overwrite)
    {
      throw BackupError(target + " exists; choose another file or add --force to replace it");
    }
    const fs::path folder = fs::path(target).parent_path().empty() ? fs::path(".") : fs::path(target).parent_path();
    if (!fs::is_directory(folder, ignored))
    {
      throw BackupError("no folder " + folder.string() + " to write the backup in");
    }
    const std::string partial = target + ".partial-" + std::to_string(::getpid());
    fs::remove(partial, ignored);

    SqliteBackupReport report;
    try
    {
      Connection from(source, SQLITE_OPEN_READONLY);
      if (from.QueryText("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'shares'").empty())
      {
        throw BackupError(source + " is not a StudyShare store (it has no shares table)");
      }
      {
        Connection to(partial, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
        CopyPages(from, to);
        to.Execute("PRAGMA journal_mode=DELETE");
        const std::string integrity = to.QueryText("PRAGMA integrity_check");
        if (integrity != "ok")
        {
          throw BackupError("the copy is damaged (" + integrity + "); the store itself may need checking");
        }
        report.shares = Count(to, "SELECT COUNT(*) FROM shares");
        report.auditEvents = Count(to, "SELECT COUNT(*) FROM audit");
        report.schemaVersion = Count(to, "PRAGMA user_version");
      }
      if (overwrite)
      {
        fs::rename(partial, target);
      }
      else if (::link(partial.c_str(), target.c_str()) != 0)  // never replaces a file that appeared meanwhile
      {
        throw BackupError("cannot create " + target + ": " + std::strerror(errno));
      }
      fs::remove(partial, ignored);
    }
    catch (const fs::filesystem_error& e)
    {
      fs::remove(partial, ignored);
      throw BackupError(std::string("cannot put the backup in place: ") + e.what());
    }
    catch (...)
    {
      fs::remove(partial, ignored);
      throw;
    }
    return report;
  }
}
