// SPDX-License-Identifier: GPL-3.0-or-later
// The share store's counters of failed attempts: wrong passwords and
// birth dates per share, access-code guesses per client address.
#include "PostgresShareStore.h"

namespace studyshare
{
  void PostgresShareStore::RecordFailedAttempt(const std::string& id, const std::string& clientAddress, int64_t at)
  {
    PostgresPool::Lease connection = pool_.Acquire();
    connection->Run("attempt_insert",
                    "INSERT INTO studyshare_failed_attempts (share_id, client_address, at) VALUES ($1,$2,$3)",
                    {id, clientAddress, PgParam(at)});
  }

  int64_t PostgresShareStore::CountFailedAttempts(const std::string& id, int64_t since)
  {
    PostgresPool::Lease connection = pool_.Acquire();
    PgResult rows = connection->Run("attempt_count",
                                    "SELECT COUNT(*) FROM studyshare_failed_attempts WHERE share_id = $1 AND at >= $2",
                                    {id, PgParam(since)});
    return rows.GetInt(0, 0);
  }

  std::optional<int64_t> PostgresShareStore::ReserveFailedAttempt(const std::string& id,
                                                                  const std::string& clientAddress, int64_t at,
                                                                  int64_t since, int64_t max)
  {
    // A transaction-scoped advisory lock per share serialises the count and
    // the insert across every node; it is released at COMMIT or ROLLBACK.
    PostgresPool::Lease connection = pool_.Acquire();
    PgTransaction transaction(*connection);
    connection->Run("attempt_lock", "SELECT pg_advisory_xact_lock(hashtextextended('attempt:' || $1, 0))", {id});
    PgResult counted = connection->Run(
      "attempt_count", "SELECT COUNT(*) FROM studyshare_failed_attempts WHERE share_id = $1 AND at >= $2",
      {id, PgParam(since)});
    if (counted.GetInt(0, 0) >= max)
    {
      return std::nullopt;
    }
    PgResult inserted =
      connection->Run("attempt_reserve",
                      "INSERT INTO studyshare_failed_attempts (share_id, client_address, at) VALUES ($1,$2,$3) "
                      "RETURNING seq",
                      {id, clientAddress, PgParam(at)});
    transaction.Commit();
    return inserted.GetInt(0, 0);
  }

  void PostgresShareStore::ReleaseFailedAttempt(int64_t reservation)
  {
    PostgresPool::Lease connection = pool_.Acquire();
    connection->Run("attempt_release", "DELETE FROM studyshare_failed_attempts WHERE seq = $1", {PgParam(reservation)});
  }

  std::vector<int64_t> PostgresShareStore::ListFailedAttemptTimes(const std::string& id, int64_t since)
  {
    PostgresPool::Lease connection = pool_.Acquire();
    PgResult rows = connection->Run(
      "attempt_times", "SELECT at FROM studyshare_failed_attempts WHERE share_id = $1 AND at >= $2 ORDER BY at DESC",
      {id, PgParam(since)});
    std::vector<int64_t> times;
    for (int row = 0; row < rows.Rows(); row++)
    {
      times.push_back(rows.GetInt(row, 0));
    }
    return times;
  }

  bool PostgresShareStore::ClearFailedAttempts(const std::string& id, const AuditEvent& unlocked)
  {
    PostgresPool::Lease connection = pool_.Acquire();
    PgTransaction transaction(*connection);
    PgResult exists = connection->Run("share_exists", "SELECT 1 FROM studyshare_shares WHERE id = $1", {id});
    if (exists.Rows() == 0)
    {
      return false;
    }
    // The same lock as ReserveFailedAttempt: no reservation slips in between.
    connection->Run("attempt_lock", "SELECT pg_advisory_xact_lock(hashtextextended('attempt:' || $1, 0))", {id});
    connection->Run("attempt_clear", "DELETE FROM studyshare_failed_attempts WHERE share_id = $1", {id});
    InsertAudit(*connection, unlocked);
    transaction.Commit();
    return true;
  }

  std::optional<int64_t> PostgresShareStore::ReserveCodeGuess(const std::string& clientAddress, int64_t at,
                                                              const CodeGuessLimits& limits)
  {
    PostgresPool::Lease connection = pool_.Acquire();
    PgTransaction transaction(*connection);
    connection->Run("guess_lock", "SELECT pg_advisory_xact_lock(hashtextextended('guess:' || $1, 0))", {clientAddress});
    connection->Run("guess_prune", "DELETE FROM studyshare_code_guesses WHERE at < $1", {PgParam(limits.since)});
    PgResult counts = connection->Run("guess_count",
                                      "SELECT COUNT(*), COUNT(*) FILTER (WHERE client_address = $1) "
                                      "FROM studyshare_code_guesses WHERE at >= $2",
                                      {clientAddress, PgParam(limits.since)});
    const int64_t all = counts.GetInt(0, 0);
    const int64_t mine = counts.GetInt(0, 1);
    if (mine >= limits.perClient || (mine > 0 && all >= limits.global))
    {
      transaction.Commit();
      return std::nullopt;
    }
    PgResult inserted = connection->Run(
      "guess_reserve", "INSERT INTO studyshare_code_guesses (client_address, at) VALUES ($1,$2) RETURNING seq",
      {clientAddress, PgParam(at)});
    transaction.Commit();
    return inserted.GetInt(0, 0);
  }

  void PostgresShareStore::ReleaseCodeGuess(int64_t reservation)
  {
    PostgresPool::Lease connection = pool_.Acquire();
    connection->Run("guess_release", "DELETE FROM studyshare_code_guesses WHERE seq = $1", {PgParam(reservation)});
  }
}
