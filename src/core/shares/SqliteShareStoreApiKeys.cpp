// SPDX-License-Identifier: GPL-3.0-or-later
// SqliteShareStore: the staff API keys (table api_keys).
#include "SqliteShareStore.h"

#include "Utf8Text.h"

namespace studyshare
{
  namespace
  {
    constexpr const char* kApiKeyColumns =
      "id, name, role, digest, created_by, created_at, expires_at, last_used_at, revoked_at";

    StaffApiKey ReadApiKey(const SqliteStatement& row)
    {
      StaffApiKey key;
      key.id = row.GetString(0);
      key.name = row.GetString(1);
      key.role = row.GetString(2);
      key.digest = row.GetString(3);
      key.createdBy = row.GetString(4);
      key.createdAt = row.GetInt(5);
      key.expiresAt = row.GetOptionalInt(6);
      key.lastUsedAt = row.GetOptionalInt(7);
      key.revokedAt = row.GetOptionalInt(8);
      return key;
    }
  }

  void SqliteShareStore::CreateApiKey(const StaffApiKey& key, const AuditEvent& created)
  {
    std::lock_guard<std::mutex> lock(mutex_);
    SqliteTransaction transaction(db_);
    SqliteStatement insert(db_,
                           "INSERT INTO api_keys (id, name, role, digest, created_by, created_at, expires_at, "
                           "last_used_at, revoked_at) VALUES (?,?,?,?,?,?,?,?,?)");
    insert.Bind(1, key.id)
      .Bind(2, ToValidUtf8(key.name))
      .Bind(3, key.role)
      .Bind(4, key.digest)
      .Bind(5, ToValidUtf8(key.createdBy))
      .Bind(6, key.createdAt)
      .Bind(7, key.expiresAt)
      .Bind(8, key.lastUsedAt)
      .Bind(9, key.revokedAt)
      .Run();
    InsertAudit(created);
    transaction.Commit();
  }

  std::optional<StaffApiKey> SqliteShareStore::FindApiKey(const std::string& digest)
  {
    std::lock_guard<std::mutex> lock(mutex_);
    const std::string sql = std::string("SELECT ") + kApiKeyColumns + " FROM api_keys WHERE digest = ?";
    SqliteStatement query(db_, sql.c_str());
    query.Bind(1, digest);
    if (!query.Step())
    {
      return std::nullopt;
    }
    return ReadApiKey(query);
  }

  std::vector<StaffApiKey> SqliteShareStore::ListApiKeys()
  {
    std::lock_guard<std::mutex> lock(mutex_);
    const std::string sql = std::string("SELECT ") + kApiKeyColumns + " FROM api_keys ORDER BY created_at, id";
    SqliteStatement query(db_, sql.c_str());
    std::vector<StaffApiKey> keys;
    while (query.Step())
    {
      keys.push_back(ReadApiKey(query));
    }
    return keys;
  }

  bool SqliteShareStore::RevokeApiKey(const std::string& id, int64_t now, const AuditEvent& revoked)
  {
    std::lock_guard<std::mutex> lock(mutex_);
    SqliteTransaction transaction(db_);
    SqliteStatement exists(db_, "SELECT 1 FROM api_keys WHERE id = ?");
    exists.Bind(1, id);
    if (!exists.Step())
    {
      return false;
    }
    SqliteStatement update(db_, "UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL");
    update.Bind(1, now).Bind(2, id).Run();
    InsertAudit(revoked);
    transaction.Commit();
    return true;
  }

  void SqliteShareStore::MarkApiKeyUsed(const std::string& id, int64_t at)
  {
    std::lock_guard<std::mutex> lock(mutex_);
    SqliteStatement update(
      db_, "UPDATE api_keys SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)");
    update.Bind(1, at).Bind(2, id).Bind(3, at).Run();
  }
}
