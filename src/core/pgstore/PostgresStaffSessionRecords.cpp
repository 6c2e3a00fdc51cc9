// SPDX-License-Identifier: GPL-3.0-or-later
#include "PostgresStaffSessionRecords.h"

namespace studyshare
{
  namespace
  {
    // "Seen" is written at most this often per session, so a staff browser
    // loading many images does not write to the database on every request.
    constexpr int64_t kTouchGranularitySeconds = 15;
  }

  void PostgresStaffSessionRecords::Put(const std::string& key, const StaffUser& user, int64_t now)
  {
    PostgresPool::Lease connection = pool_.Acquire();
    connection->Run("staff_session_prune", "DELETE FROM studyshare_staff_sessions WHERE last_seen < $1",
                    {PgParam(now - 7 * 24 * 3600)});
    connection->Run("staff_session_put",
                    "INSERT INTO studyshare_staff_sessions (key, user_name, role, last_seen) VALUES ($1,$2,$3,$4)",
                    {key, user.name, std::string(ToString(user.role)), PgParam(now)});
  }

  std::optional<StaffUser> PostgresStaffSessionRecords::Touch(const std::string& key, int64_t now, int64_t idleSeconds)
  {
    PostgresPool::Lease connection = pool_.Acquire();
    PgResult rows = connection->Run(
      "staff_session_get", "SELECT user_name, role, last_seen FROM studyshare_staff_sessions WHERE key = $1", {key});
    if (rows.Rows() == 0)
    {
      return std::nullopt;
    }
    const int64_t lastSeen = rows.GetInt(0, 2);
    const std::optional<StaffRole> role = ParseStaffRole(rows.GetString(0, 1));
    if (now - lastSeen >= idleSeconds || !role)
    {
      connection->Run("staff_session_remove", "DELETE FROM studyshare_staff_sessions WHERE key = $1", {key});
      return std::nullopt;
    }
    if (now - lastSeen >= kTouchGranularitySeconds)
    {
      connection->Run("staff_session_touch",
                      "UPDATE studyshare_staff_sessions SET last_seen = GREATEST(last_seen, $2) WHERE key = $1",
                      {key, PgParam(now)});
    }
    return StaffUser{rows.GetString(0, 0), *role};
  }

  void PostgresStaffSessionRecords::Remove(const std::string& key)
  {
    PostgresPool::Lease connection = pool_.Acquire();
    connection->Run("staff_session_remove", "DELETE FROM studyshare_staff_sessions WHERE key = $1", {key});
  }
}
