// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "PostgresConnection.h"

#include <condition_variable>
#include <memory>
#include <mutex>
#include <vector>

namespace studyshare
{
  // At most `poolSize` connections, opened on demand and reopened after a
  // failure, so the store recovers by itself when PostgreSQL is back. A
  // caller waits for a free connection no longer than the connect timeout.
  class PostgresPool
  {
  public:
    class Lease
    {
    public:
      Lease(PostgresPool& pool, std::unique_ptr<PgConnection> connection);
      ~Lease();
      Lease(Lease&&) = default;
      Lease(const Lease&) = delete;
      Lease& operator=(const Lease&) = delete;
      Lease& operator=(Lease&&) = delete;
      PgConnection* operator->() { return connection_.get(); }
      PgConnection& operator*() { return *connection_; }

    private:
      PostgresPool* pool_;
      std::unique_ptr<PgConnection> connection_;
    };

    explicit PostgresPool(PostgresSettings settings);

    Lease Acquire();
    const PostgresSettings& Settings() const { return settings_; }

  private:
    void Return(std::unique_ptr<PgConnection> connection);

    const PostgresSettings settings_;
    std::mutex mutex_;
    std::condition_variable available_;
    std::vector<std::unique_ptr<PgConnection>> idle_;
    int64_t open_ = 0;  // leased or idle
  };

  // BEGIN ... COMMIT on one leased connection, rolled back if not committed.
  class PgTransaction
  {
  public:
    explicit PgTransaction(PgConnection& connection);
    ~PgTransaction();
    PgTransaction(const PgTransaction&) = delete;
    PgTransaction& operator=(const PgTransaction&) = delete;
    void Commit();

  private:
    PgConnection& connection_;
    bool done_ = false;
  };
}
