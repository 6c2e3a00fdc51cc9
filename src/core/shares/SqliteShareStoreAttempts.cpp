// SPDX-License-Identifier: GPL-3.0-or-later
// The share store's counters of failed attempts: wrong passwords and
// birth dates per share, access-code guesses per client address.
#include "SqliteShareStore.h"

namespace studyshare
{
  void SqliteShareStore::RecordFailedAttempt(const std::string& id, const std::string& clientAddress, int64_t at)
  {
    auto lock = LockOpenStore();
    SqliteStatement insert(db_, "INSERT INTO failed_attempts (share_id, client_address, at) VALUES (?,?,?)");
    insert.Bind(1, id).Bind(2, clientAddress).Bind(3, at).Run();
  }

  int64_t SqliteShareStore::CountFailedAttempts(const std::string& id, int64_t since)
  {
    auto lock = LockOpenStore();
    SqliteStatement query(db_, "SELECT COUNT(*) FROM failed_attempts WHERE share_id = ? AND at >= ?");
    query.Bind(1, id).Bind(2, since);
    query.Step();
    return query.GetInt(0);
  }

  std::optional<int64_t> SqliteShareStore::ReserveFailedAttempt(const std::string& id, const std::string& clientAddress,
                                                                int64_t at, int64_t since, int64_t max)
  {
    // BEGIN IMMEDIATE holds the write lock from the count to the insert, so
    // other processes on the same file are serialised too.
    auto lock = LockOpenStore();
    SqliteTransaction transaction(db_);
    SqliteStatement count(db_, "SELECT COUNT(*) FROM failed_attempts WHERE share_id = ? AND at >= ?");
    count.Bind(1, id).Bind(2, since);
    count.Step();
    if (count.GetInt(0) >= max)
    {
      return std::nullopt;
    }
    SqliteStatement insert(db_, "INSERT INTO failed_attempts (share_id, client_address, at) VALUES (?,?,?)");
    insert.Bind(1, id).Bind(2, clientAddress).Bind(3, at).Run();
    const int64_t reservation = db_.LastInsertRowId();
    transaction.Commit();
    return reservation;
  }

  void SqliteShareStore::ReleaseFailedAttempt(int64_t reservation)
  {
    auto lock = LockOpenStore();
    SqliteStatement remove(db_, "DELETE FROM failed_attempts WHERE rowid = ?");
    remove.Bind(1, reservation).Run();
  }

  std::vector<int64_t> SqliteShareStore::ListFailedAttemptTimes(const std::string& id, int64_t since)
  {
    std::lock_guard<std::mutex> lock(mutex_);
    SqliteStatement query(db_, "SELECT at FROM failed_attempts WHERE share_id = ? AND at >= ? ORDER BY at DESC");
    query.Bind(1, id).Bind(2, since);
    std::vector<int64_t> times;
    while (query.Step())
    {
      times.push_back(query.GetInt(0));
    }
    return times;
  }

  bool SqliteShareStore::ClearFailedAttempts(const std::string& id, const AuditEvent& unlocked)
  {
    std::lock_guard<std::mutex> lock(mutex_);
    SqliteTransaction transaction(db_);
    SqliteStatement exists(db_, "SELECT 1 FROM shares WHERE id = ?");
    exists.Bind(1, id);
    if (!exists.Step())
    {
      return false;
    }
    SqliteStatement remove(db_, "DELETE FROM failed_attempts WHERE share_id = ?");
    remove.Bind(1, id).Run();
    InsertAudit(unlocked);
    transaction.Commit();
    return true;
  }

  std::optional<int64_t> SqliteShareStore::ReserveCodeGuess(const std::string& clientAddress, int64_t at,
                                                            const CodeGuessLimits& limits)
  {
    auto lock = LockOpenStore();
    SqliteTransaction transaction(db_);
    SqliteStatement prune(db_, "DELETE FROM code_guesses WHERE at < ?");
    prune.Bind(1, limits.since).Run();
    SqliteStatement counts(db_,
                           "SELECT COUNT(*), COALESCE(SUM(client_address = ?), 0) FROM code_guesses WHERE at >= ?");
    counts.Bind(1, clientAddress).Bind(2, limits.since);
    counts.Step();
    const int64_t all = counts.GetInt(0);
    const int64_t mine = counts.GetInt(1);
    if (mine >= limits.perClient || (mine > 0 && all >= limits.global))
    {
      transaction.Commit();
      return std::nullopt;
    }
    SqliteStatement insert(db_, "INSERT INTO code_guesses (client_address, at) VALUES (?,?)");
    insert.Bind(1, clientAddress).Bind(2, at).Run();
    const int64_t reservation = db_.LastInsertRowId();
    transaction.Commit();
    return reservation;
  }

  void SqliteShareStore::ReleaseCodeGuess(int64_t reservation)
  {
    auto lock = LockOpenStore();
    SqliteStatement remove(db_, "DELETE FROM code_guesses WHERE rowid = ?");
    remove.Bind(1, reservation).Run();
  }
}
