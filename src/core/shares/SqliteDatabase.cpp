// SPDX-License-Identifier: GPL-3.0-or-later
#include "SqliteDatabase.h"

#include "IShareStore.h"

#include <sqlite3.h>

namespace studyshare
{
  namespace
  {
    [[noreturn]] void Fail(sqlite3* db, const std::string& what)
    {
      throw StoreUnavailable("SQLite: " + what + ": " + (db ? sqlite3_errmsg(db) : "out of memory"));
    }
  }

  SqliteDatabase::SqliteDatabase(const std::string& path) : path_(path)
  {
    Open(SQLITE_OPEN_CREATE);
  }

  SqliteDatabase::~SqliteDatabase()
  {
    sqlite3_close(db_);
  }

  void SqliteDatabase::Open(int flags)
  {
    if (sqlite3_open_v2(path_.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX | flags, nullptr) !=
        SQLITE_OK)
    {
      std::string message = "cannot open " + path_ + ": " + (db_ ? sqlite3_errmsg(db_) : "out of memory");
      sqlite3_close(db_);
      db_ = nullptr;
      throw StoreUnavailable("SQLite: " + message);
    }
    sqlite3_busy_timeout(db_, 5000);
  }

  bool SqliteDatabase::FileHasMoved()
  {
    if (db_ == nullptr)
    {
      return true;
    }
    int moved = 0;
    // Not SQLITE_OK for a database without a file (":memory:"): nothing can move.
    return sqlite3_file_control(db_, "main", SQLITE_FCNTL_HAS_MOVED, &moved) == SQLITE_OK && moved != 0;
  }

  void SqliteDatabase::ReopenExisting()
  {
    // Closing the last connection also removes the WAL beside the old file,
    // so a file put back at the path never meets a log that is not its own.
    sqlite3_close(db_);
    db_ = nullptr;
    Open(0);
  }

  void SqliteDatabase::Execute(const std::string& sql)
  {
    char* error = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK)
    {
      std::string message = error ? error : "unknown error";
      sqlite3_free(error);
      throw StoreUnavailable("SQLite: " + message);
    }
  }

  int64_t SqliteDatabase::Changes() const
  {
    return sqlite3_changes(db_);
  }

  int64_t SqliteDatabase::LastInsertRowId() const
  {
    return sqlite3_last_insert_rowid(db_);
  }

  SqliteStatement::SqliteStatement(SqliteDatabase& db, const char* sql) : db_(db)
  {
    if (sqlite3_prepare_v2(db.Handle(), sql, -1, &statement_, nullptr) != SQLITE_OK)
    {
      Fail(db.Handle(), "prepare");
    }
  }

  SqliteStatement::~SqliteStatement()
  {
    sqlite3_finalize(statement_);
  }

  SqliteStatement& SqliteStatement::Bind(int index, const std::string& value)
  {
    if (sqlite3_bind_text(statement_, index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT) !=
        SQLITE_OK)
    {
      Fail(db_.Handle(), "bind");
    }
    return *this;
  }

  SqliteStatement& SqliteStatement::Bind(int index, int64_t value)
  {
    if (sqlite3_bind_int64(statement_, index, value) != SQLITE_OK)
    {
      Fail(db_.Handle(), "bind");
    }
    return *this;
  }

  SqliteStatement& SqliteStatement::Bind(int index, const std::optional<int64_t>& value)
  {
    if ((value ? sqlite3_bind_int64(statement_, index, *value) : sqlite3_bind_null(statement_, index)) != SQLITE_OK)
    {
      Fail(db_.Handle(), "bind");
    }
    return *this;
  }

  bool SqliteStatement::Step()
  {
    const int rc = sqlite3_step(statement_);
    if (rc == SQLITE_ROW)
    {
      return true;
    }
    if (rc == SQLITE_DONE)
    {
      return false;
    }
    Fail(db_.Handle(), "step");
  }

  void SqliteStatement::Run()
  {
    while (Step())
    {
    }
  }

  std::string SqliteStatement::GetString(int column) const
  {
    const unsigned char* text = sqlite3_column_text(statement_, column);
    return text ? std::string(reinterpret_cast<const char*>(text), sqlite3_column_bytes(statement_, column)) : "";
  }

  int64_t SqliteStatement::GetInt(int column) const
  {
    return sqlite3_column_int64(statement_, column);
  }

  std::optional<int64_t> SqliteStatement::GetOptionalInt(int column) const
  {
    if (sqlite3_column_type(statement_, column) == SQLITE_NULL)
    {
      return std::nullopt;
    }
    return sqlite3_column_int64(statement_, column);
  }

  SqliteTransaction::SqliteTransaction(SqliteDatabase& db) : db_(db)
  {
    db_.Execute("BEGIN IMMEDIATE");
  }

  SqliteTransaction::~SqliteTransaction()
  {
    if (!done_)
    {
      try
      {
        db_.Execute("ROLLBACK");
      }
      catch (...)
      {
      }
    }
  }

  void SqliteTransaction::Commit()
  {
    db_.Execute("COMMIT");
    done_ = true;
  }
}
