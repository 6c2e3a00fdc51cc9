// SPDX-License-Identifier: GPL-3.0-or-later
#include "StaffSessions.h"

#include "Crypto.h"

namespace studyshare
{
  StaffSessions::StaffSessions(int64_t idleSeconds, size_t capacity) : idleSeconds_(idleSeconds), capacity_(capacity) {}

  void StaffSessions::PruneUnlocked(int64_t now)
  {
    for (auto it = sessions_.begin(); it != sessions_.end();)
    {
      it = now - it->second.lastSeen >= idleSeconds_ ? sessions_.erase(it) : std::next(it);
    }
  }

  std::string StaffSessions::Create(const StaffUser& user, int64_t now)
  {
    const std::string id = crypto::RandomId(32);
    if (records_ != nullptr)
    {
      records_->Put(crypto::Sha256Hex(id), user, now);
      return id;
    }
    std::lock_guard<std::mutex> lock(mutex_);
    if (sessions_.size() >= capacity_)
    {
      PruneUnlocked(now);
    }
    if (sessions_.size() >= capacity_)
    {
      sessions_.erase(sessions_.begin());
    }
    sessions_[crypto::Sha256(id)] = {user, now};
    return id;
  }

  std::optional<StaffUser> StaffSessions::Lookup(const std::string& id, int64_t now)
  {
    if (id.empty() || id.size() > 128)
    {
      return std::nullopt;
    }
    const std::string key = crypto::Sha256(id);
    if (records_ != nullptr)
    {
      return records_->Touch(crypto::Sha256Hex(id), now, idleSeconds_);
    }
    std::lock_guard<std::mutex> lock(mutex_);
    auto found = sessions_.find(key);
    if (found == sessions_.end())
    {
      return std::nullopt;
    }
    if (now - found->second.lastSeen >= idleSeconds_)
    {
      sessions_.erase(found);
      return std::nullopt;
    }
    found->second.lastSeen = now;
    return found->second.user;
  }

  void StaffSessions::Remove(const std::string& id)
  {
    if (records_ != nullptr)
    {
      records_->Remove(crypto::Sha256Hex(id));
      return;
    }
    std::lock_guard<std::mutex> lock(mutex_);
    sessions_.erase(crypto::Sha256(id));
  }
}
