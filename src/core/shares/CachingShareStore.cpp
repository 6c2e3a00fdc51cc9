// SPDX-License-Identifier: GPL-3.0-or-later
#include "CachingShareStore.h"

#include <mutex>

namespace studyshare
{
  CachingShareStore::CachingShareStore(IShareStore& inner, std::chrono::milliseconds lifetime, size_t capacity,
                                       std::chrono::milliseconds stampInterval)
    : inner_(inner), lifetime_(lifetime), capacity_(capacity), stampInterval_(stampInterval)
  {
  }

  void CachingShareStore::Create(const Share& share, const AuditEvent& created)
  {
    inner_.Create(share, created);
    Forget(share.id);
  }

  void CachingShareStore::CheckStamp(std::chrono::steady_clock::time_point now)
  {
    // With an interval, one thread per interval reads the stamp and the
    // others go on without a lock; without one, every lookup reads it.
    if (stampInterval_.count() > 0)
    {
      auto due = nextStampCheck_.load(std::memory_order_relaxed);
      if (now.time_since_epoch().count() < due ||
          !nextStampCheck_.compare_exchange_strong(due, (now + stampInterval_).time_since_epoch().count(),
                                                   std::memory_order_relaxed))
      {
        return;
      }
    }
    const uint64_t stamp = inner_.ExternalChangeStamp();
    {
      std::unique_lock<std::shared_mutex> lock(mutex_);
      if (stamp == seenStamp_)
      {
        return;
      }
      entries_.clear();
      generation_++;
      seenStamp_ = stamp;
    }
    if (listener_ != nullptr)
    {
      listener_->AllSharesDropped();
    }
  }

  std::shared_ptr<const Share> CachingShareStore::LookupShared(const std::string& id)
  {
    const auto now = std::chrono::steady_clock::now();
    CheckStamp(now);
    uint64_t generation;
    {
      std::shared_lock<std::shared_mutex> lock(mutex_);
      generation = generation_;
      auto found = entries_.find(id);
      if (found != entries_.end() && found->second.expiresAt > now)
      {
        return found->second.share;
      }
    }
    std::optional<Share> looked = inner_.Lookup(id);
    std::shared_ptr<const Share> share = looked ? std::make_shared<const Share>(std::move(*looked)) : nullptr;
    if (lifetime_.count() > 0)
    {
      std::unique_lock<std::shared_mutex> lock(mutex_);
      if (generation != generation_)
      {
        return share;
      }
      if (entries_.size() >= capacity_)
      {
        entries_.clear();
      }
      entries_[id] = {share, now + lifetime_};
    }
    return share;
  }

  std::optional<Share> CachingShareStore::Lookup(const std::string& id)
  {
    std::shared_ptr<const Share> share = LookupShared(id);
    return share ? std::optional<Share>(*share) : std::nullopt;
  }

  std::vector<Share> CachingShareStore::List(const ShareFilter& filter)
  {
    return inner_.List(filter);
  }

  bool CachingShareStore::Revoke(const std::string& id, int64_t now, const AuditEvent& revoked)
  {
    Forget(id);
    const bool result = inner_.Revoke(id, now, revoked);
    Forget(id);
    return result;
  }

  std::vector<int64_t> CachingShareStore::ListFailedAttemptTimes(const std::string& id, int64_t since)
  {
    return inner_.ListFailedAttemptTimes(id, since);
  }

  bool CachingShareStore::ClearFailedAttempts(const std::string& id, const AuditEvent& unlocked)
  {
    return inner_.ClearFailedAttempts(id, unlocked);
  }

  bool CachingShareStore::ReplaceAccessCode(const std::string& id, const std::string& codeDigest,
                                            const AuditEvent& replaced)
  {
    Forget(id);
    const bool result = inner_.ReplaceAccessCode(id, codeDigest, replaced);
    Forget(id);
    return result;
  }

  bool CachingShareStore::UpdateAnonymization(const std::string& id, const ShareAnonymization& anonymization,
                                              const std::optional<std::vector<SharedStudy>>& studies,
                                              const std::optional<AuditEvent>& event)
  {
    Forget(id);
    const bool result = inner_.UpdateAnonymization(id, anonymization, studies, event);
    Forget(id);
    return result;
  }

  std::optional<Share> CachingShareStore::FindByAccessCode(const std::string& codeDigest)
  {
    return inner_.FindByAccessCode(codeDigest);
  }

  void CachingShareStore::SetShortKey(const std::string& id, const std::string& keyDigest)
  {
    inner_.SetShortKey(id, keyDigest);
  }

  std::optional<Share> CachingShareStore::FindByShortKey(const std::string& keyDigest)
  {
    return inner_.FindByShortKey(keyDigest);
  }

  bool CachingShareStore::ConsumeUse(const std::string& id)
  {
    const bool consumed = inner_.ConsumeUse(id);
    Forget(id);
    return consumed;
  }

  void CachingShareStore::RecordFailedAttempt(const std::string& id, const std::string& clientAddress, int64_t at)
  {
    inner_.RecordFailedAttempt(id, clientAddress, at);
  }

  int64_t CachingShareStore::CountFailedAttempts(const std::string& id, int64_t since)
  {
    return inner_.CountFailedAttempts(id, since);
  }

  void CachingShareStore::AppendAudit(const AuditEvent& event)
  {
    inner_.AppendAudit(event);
  }

  std::vector<AuditEvent> CachingShareStore::ListAudit(const std::string& shareId)
  {
    return inner_.ListAudit(shareId);
  }

  void CachingShareStore::Forget(const std::string& id)
  {
    {
      std::unique_lock<std::shared_mutex> lock(mutex_);
      generation_++;
      entries_.erase(id);
    }
    if (listener_ != nullptr)
    {
      listener_->ShareDropped(id);
    }
  }
}
