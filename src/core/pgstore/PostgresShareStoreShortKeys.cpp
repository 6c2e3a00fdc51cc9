// SPDX-License-Identifier: GPL-3.0-or-later
// PostgresShareStore: the short-link keys' digests (table studyshare_short_keys).
#include "PostgresShareStore.h"

namespace studyshare
{
  void PostgresShareStore::SetShortKey(const std::string& id, const std::string& keyDigest)
  {
    PostgresPool::Lease connection = pool_.Acquire();
    connection->Run("short_key_set",
                    "INSERT INTO studyshare_short_keys (share_id, digest) VALUES ($1, $2) "
                    "ON CONFLICT (share_id) DO UPDATE SET digest = EXCLUDED.digest",
                    {id, keyDigest});
  }

  std::optional<Share> PostgresShareStore::FindByShortKey(const std::string& keyDigest)
  {
    std::string id;
    {
      PostgresPool::Lease connection = pool_.Acquire();
      PgResult rows =
        connection->Run("short_key_find", "SELECT share_id FROM studyshare_short_keys WHERE digest = $1", {keyDigest});
      if (rows.Rows() == 0)
      {
        return std::nullopt;
      }
      id = rows.GetString(0, 0);
    }
    return Lookup(id);
  }
}
