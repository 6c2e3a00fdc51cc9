// SPDX-License-Identifier: GPL-3.0-or-later
// PostgresShareStore: the staff API keys (table studyshare_api_keys).
#include "PostgresShareStore.h"

namespace studyshare
{
  namespace
  {
    constexpr const char* kApiKeyColumns =
      "id, name, role, digest, created_by, created_at, expires_at, last_used_at, revoked_at";

    StaffApiKey ReadApiKey(const PgResult& rows, int row)
    {
      StaffApiKey key;
      key.id = rows.GetString(row, 0);
      key.name = rows.GetString(row, 1);
      key.role = rows.GetString(row, 2);
      key.digest = rows.GetString(row, 3);
      key.createdBy = rows.GetString(row, 4);
      key.createdAt = rows.GetInt(row, 5);
      key.expiresAt = rows.GetOptionalInt(row, 6);
      key.lastUsedAt = rows.GetOptionalInt(row, 7);
      key.revokedAt = rows.GetOptionalInt(row, 8);
      return key;
    }
  }

  void PostgresShareStore::CreateApiKey(const StaffApiKey& key, const AuditEvent& created)
  {
    PostgresPool::Lease connection = pool_.Acquire();
    PgTransaction transaction(*connection);
    connection->Run("api_key_insert",
                    "INSERT INTO studyshare_api_keys (id, name, role, digest, created_by, created_at, expires_at, "
                    "last_used_at, revoked_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)",
                    {key.id, key.name, key.role, key.digest, key.createdBy, PgParam(key.createdAt),
                     PgParam(key.expiresAt), PgParam(key.lastUsedAt), PgParam(key.revokedAt)});
    InsertAudit(*connection, created);
    transaction.Commit();
  }

  std::optional<StaffApiKey> PostgresShareStore::FindApiKey(const std::string& digest)
  {
    PostgresPool::Lease connection = pool_.Acquire();
    const std::string sql = std::string("SELECT ") + kApiKeyColumns + " FROM studyshare_api_keys WHERE digest = $1";
    PgResult rows = connection->Run("api_key_find", sql.c_str(), {digest});
    if (rows.Rows() == 0)
    {
      return std::nullopt;
    }
    return ReadApiKey(rows, 0);
  }

  std::vector<StaffApiKey> PostgresShareStore::ListApiKeys()
  {
    PostgresPool::Lease connection = pool_.Acquire();
    const std::string sql =
      std::string("SELECT ") + kApiKeyColumns + " FROM studyshare_api_keys ORDER BY created_at, id";
    PgResult rows = connection->Run("api_key_list", sql.c_str(), {});
    std::vector<StaffApiKey> keys;
    for (int row = 0; row < rows.Rows(); row++)
    {
      keys.push_back(ReadApiKey(rows, row));
    }
    return keys;
  }

  bool PostgresShareStore::RevokeApiKey(const std::string& id, int64_t now, const AuditEvent& revoked)
  {
    PostgresPool::Lease connection = pool_.Acquire();
    PgTransaction transaction(*connection);
    PgResult exists = connection->Run("api_key_exists", "SELECT 1 FROM studyshare_api_keys WHERE id = $1", {id});
    if (exists.Rows() == 0)
    {
      return false;
    }
    connection->Run("api_key_revoke",
                    "UPDATE studyshare_api_keys SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL",
                    {PgParam(now), id});
    InsertAudit(*connection, revoked);
    transaction.Commit();
    return true;
  }

  void PostgresShareStore::MarkApiKeyUsed(const std::string& id, int64_t at)
  {
    PostgresPool::Lease connection = pool_.Acquire();
    connection->Run("api_key_used",
                    "UPDATE studyshare_api_keys SET last_used_at = $1 WHERE id = $2 AND "
                    "(last_used_at IS NULL OR last_used_at < $1)",
                    {PgParam(at), id});
  }
}
