// SPDX-License-Identifier: GPL-3.0-or-later
#include "CachingShareStore.h"

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

  std::optional<Share> CachingShareStore::Lookup(const std::string& id)
  {
    const auto now = std::chrono::steady_clock::now();
    bool checkStamp;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      checkStamp = now >= nextStampCheck_;
      if (checkStamp)
      {
        nextStampCheck_ = now + stampInterval_;
      }
    }
    const std::optional<uint64_t> stamp = checkStamp ? std::optional(inner_.ExternalChangeStamp()) : std::nullopt;
    uint64_t generation;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (stamp && *stamp != seenStamp_)
      {
        entries_.clear();
        generation_++;
        seenStamp_ = *stamp;
      }
      generation = generation_;
      auto found = entries_.find(id);
      if (found != entries_.end() && found->second.expiresAt > now)
      {
        return found->second.share;
      }
    }
    std::optional<Share> share = inner_.Lookup(id);
    if (lifetime_.count() > 0)
    {
      std::lock_guard<std::mutex> lock(mutex_);
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
    std::lock_guard<std::mutex> lock(mutex_);
    generation_++;
    entries_.erase(id);
  }
}
