// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

struct pg_conn;
struct pg_result;

namespace studyshare
{
  // How to reach PostgreSQL and how long any wait may last, so that a
  // database that is down, slow or refusing ends in StoreUnavailable within
  // a bounded time instead of hanging the gate.
  struct PostgresSettings
  {
    std::string connection;  // libpq connection string or URI
    int64_t poolSize = 8;
    int64_t connectTimeoutSeconds = 3;
    int64_t statementTimeoutMilliseconds = 2000;
  };

  // One result, owned; cells read as text (the protocol's text format).
  class PgResult
  {
  public:
    explicit PgResult(pg_result* result);
    ~PgResult();
    PgResult(PgResult&& other) noexcept;
    PgResult(const PgResult&) = delete;
    PgResult& operator=(const PgResult&) = delete;
    PgResult& operator=(PgResult&&) = delete;

    int Rows() const;
    int64_t Affected() const;
    bool IsNull(int row, int column) const;
    std::string GetString(int row, int column) const;
    int64_t GetInt(int row, int column) const;
    std::optional<int64_t> GetOptionalInt(int row, int column) const;

  private:
    pg_result* result_;
  };

  using PgParams = std::vector<std::optional<std::string>>;
  std::optional<std::string> PgParam(int64_t value);
  std::optional<std::string> PgParam(const std::optional<int64_t>& value);
  std::optional<std::string> PgParam(const std::string& value);

  // One libpq connection. Every call waits at most the statement timeout
  // (plus a margin) on the socket: a frozen server cannot hold a thread.
  // Any failure throws StoreUnavailable and marks the connection broken.
  class PgConnection
  {
  public:
    explicit PgConnection(const PostgresSettings& settings);
    ~PgConnection();
    PgConnection(const PgConnection&) = delete;
    PgConnection& operator=(const PgConnection&) = delete;

    // Plain SQL (several statements allowed), no parameters.
    void Execute(const std::string& sql);
    // A named statement, prepared on this connection at first use.
    PgResult Run(const char* name, const char* sql, const PgParams& params);

    bool IsBroken() const { return broken_; }
    int Socket() const;
    pg_conn* Handle() { return conn_; }

  private:
    PgResult Wait(const char* what);
    [[noreturn]] void Fail(const std::string& what);

    pg_conn* conn_ = nullptr;
    std::chrono::milliseconds deadline_;
    std::set<std::string> prepared_;
    bool broken_ = false;
  };
}
