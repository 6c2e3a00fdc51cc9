// SPDX-License-Identifier: GPL-3.0-or-later
#include "PostgresPool.h"

#include "IShareStore.h"

namespace studyshare
{
  PostgresPool::Lease::Lease(PostgresPool& pool, std::unique_ptr<PgConnection> connection)
    : pool_(&pool), connection_(std::move(connection))
  {
  }

  PostgresPool::Lease::~Lease()
  {
    if (connection_)
    {
      pool_->Return(std::move(connection_));
    }
  }

  PostgresPool::PostgresPool(PostgresSettings settings) : settings_(std::move(settings)) {}

  PostgresPool::Lease PostgresPool::Acquire()
  {
    {
      std::unique_lock<std::mutex> lock(mutex_);
      const bool free = available_.wait_for(lock, std::chrono::seconds(settings_.connectTimeoutSeconds),
                                            [this] { return !idle_.empty() || open_ < settings_.poolSize; });
      if (!free)
      {
        throw StoreUnavailable("PostgreSQL: every pooled connection is busy");
      }
      if (!idle_.empty())
      {
        std::unique_ptr<PgConnection> connection = std::move(idle_.back());
        idle_.pop_back();
        return Lease(*this, std::move(connection));
      }
      open_++;
    }
    try
    {
      return Lease(*this, std::make_unique<PgConnection>(settings_));
    }
    catch (...)
    {
      std::lock_guard<std::mutex> lock(mutex_);
      open_--;
      available_.notify_one();
      throw;
    }
  }

  void PostgresPool::Return(std::unique_ptr<PgConnection> connection)
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (connection->IsBroken())
    {
      open_--;
    }
    else
    {
      idle_.push_back(std::move(connection));
    }
    available_.notify_one();
  }

  PgTransaction::PgTransaction(PgConnection& connection) : connection_(connection)
  {
    connection_.Execute("BEGIN");
  }

  PgTransaction::~PgTransaction()
  {
    if (!done_ && !connection_.IsBroken())
    {
      try
      {
        connection_.Execute("ROLLBACK");
      }
      catch (...)
      {
        // The connection is now marked broken and will be closed.
      }
    }
  }

  void PgTransaction::Commit()
  {
    connection_.Execute("COMMIT");
    done_ = true;
  }
}
