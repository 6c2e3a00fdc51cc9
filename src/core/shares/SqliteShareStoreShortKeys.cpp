// SPDX-License-Identifier: GPL-3.0-or-later
// SqliteShareStore: the short-link keys' digests (table short_keys).
#include "SqliteShareStore.h"

namespace studyshare
{
  void SqliteShareStore::SetShortKey(const std::string& id, const std::string& keyDigest)
  {
    std::lock_guard<std::mutex> lock(mutex_);
    SqliteStatement upsert(db_,
                           "INSERT INTO short_keys (share_id, digest) VALUES (?, ?) "
                           "ON CONFLICT(share_id) DO UPDATE SET digest = excluded.digest");
    upsert.Bind(1, id).Bind(2, keyDigest).Run();
  }

  std::optional<Share> SqliteShareStore::FindByShortKey(const std::string& keyDigest)
  {
    std::string id;
    {
      auto lock = LockOpenStore();
      SqliteStatement query(db_, "SELECT share_id FROM short_keys WHERE digest = ?");
      query.Bind(1, keyDigest);
      if (!query.Step())
      {
        return std::nullopt;
      }
      id = query.GetString(0);
    }
    return Lookup(id);
  }
}
