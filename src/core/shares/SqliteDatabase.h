// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <optional>
#include <string>

struct sqlite3;
struct sqlite3_stmt;

namespace studyshare
{
  // Minimal RAII over the SQLite C API. Errors throw StoreUnavailable.
  class SqliteDatabase
  {
  public:
    explicit SqliteDatabase(const std::string& path);
    ~SqliteDatabase();
    SqliteDatabase(const SqliteDatabase&) = delete;
    SqliteDatabase& operator=(const SqliteDatabase&) = delete;

    // True when the file at the path is no longer the one this connection
    // has open (deleted, renamed or replaced), or when none is open.
    bool FileHasMoved();
    // Closes this connection and opens the file now at the path, never
    // creating one: StoreUnavailable when there is none.
    void ReopenExisting();

    void Execute(const std::string& sql);
    int64_t Changes() const;
    int64_t LastInsertRowId() const;
    sqlite3* Handle() { return db_; }

  private:
    void Open(int flags);

    std::string path_;
    sqlite3* db_ = nullptr;
  };

  class SqliteStatement
  {
  public:
    SqliteStatement(SqliteDatabase& db, const char* sql);
    ~SqliteStatement();
    SqliteStatement(const SqliteStatement&) = delete;
    SqliteStatement& operator=(const SqliteStatement&) = delete;

    SqliteStatement& Bind(int index, const std::string& value);
    SqliteStatement& Bind(int index, int64_t value);
    SqliteStatement& Bind(int index, const std::optional<int64_t>& value);

    bool Step();  // true while a row is available
    void Run();   // steps to completion

    std::string GetString(int column) const;
    int64_t GetInt(int column) const;
    std::optional<int64_t> GetOptionalInt(int column) const;

  private:
    SqliteDatabase& db_;
    sqlite3_stmt* statement_ = nullptr;
  };

  // BEGIN IMMEDIATE ... COMMIT, rolled back if not committed.
  class SqliteTransaction
  {
  public:
    explicit SqliteTransaction(SqliteDatabase& db);
    ~SqliteTransaction();
    SqliteTransaction(const SqliteTransaction&) = delete;
    SqliteTransaction& operator=(const SqliteTransaction&) = delete;
    void Commit();

  private:
    SqliteDatabase& db_;
    bool done_ = false;
  };
}
