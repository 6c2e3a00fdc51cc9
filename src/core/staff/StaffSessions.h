// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "IStaffSessionRecords.h"
#include "StaffDirectory.h"

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace studyshare
{
  // Browser sessions of staff who logged in on the login page: a random ID in
  // an HttpOnly cookie, forgotten after an idle time. Kept in memory and keyed
  // by a digest of the ID, so a memory dump holds no usable cookie. With
  // shared records (the PostgreSQL store) every node sees every session and
  // a logout on one node ends it everywhere.
  class StaffSessions
  {
  public:
    StaffSessions(int64_t idleSeconds, size_t capacity = 10000);

    std::string Create(const StaffUser& user, int64_t now);
    std::optional<StaffUser> Lookup(const std::string& id, int64_t now);
    void Remove(const std::string& id);

    int64_t GetIdleSeconds() const { return idleSeconds_; }
    // Keep sessions in shared records instead of this process's memory.
    void SetRecords(IStaffSessionRecords* records) { records_ = records; }

  private:
    struct Entry
    {
      StaffUser user;
      int64_t lastSeen = 0;
    };

    void PruneUnlocked(int64_t now);

    const int64_t idleSeconds_;
    const size_t capacity_;
    std::mutex mutex_;
    std::unordered_map<std::string, Entry> sessions_;
    IStaffSessionRecords* records_ = nullptr;
  };
}
