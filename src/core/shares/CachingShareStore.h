// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "IShareCacheListener.h"
#include "IShareStore.h"

#include <atomic>
#include <chrono>
#include <shared_mutex>
#include <unordered_map>

namespace studyshare
{
  // Keeps share lookups for a short, configured time so the gate does not
  // query the database on every image. Writes through this node drop the
  // entry at once; writes by other processes on the same store (the token
  // service beside the plugin) empty the cache as soon as the store's change
  // stamp moves; elsewhere a revocation shows within the lifetime.
  class CachingShareStore : public IShareStore
  {
  public:
    // `stampInterval`: how often the store's change stamp is read (zero:
    // before every lookup, as the token service does; the plugin reads it
    // at most every few hundred milliseconds to keep the gate off the
    // database lock).
    CachingShareStore(IShareStore& inner, std::chrono::milliseconds lifetime, size_t capacity = 4096,
                      std::chrono::milliseconds stampInterval = std::chrono::milliseconds(0));

    void Create(const Share& share, const AuditEvent& created) override;
    std::optional<Share> Lookup(const std::string& id) override;
    std::shared_ptr<const Share> LookupShared(const std::string& id) override;
    std::vector<Share> List(const ShareFilter& filter) override;
    bool Revoke(const std::string& id, int64_t now, const AuditEvent& revoked) override;
    bool UpdateAnonymization(const std::string& id, const ShareAnonymization& anonymization,
                             const std::optional<std::vector<SharedStudy>>& studies,
                             const std::optional<AuditEvent>& event) override;
    std::optional<Share> FindByAccessCode(const std::string& codeDigest) override;
    void SetShortKey(const std::string& id, const std::string& keyDigest) override;
    std::optional<Share> FindByShortKey(const std::string& keyDigest) override;
    bool ConsumeUse(const std::string& id) override;
    void RecordFailedAttempt(const std::string& id, const std::string& clientAddress, int64_t at) override;
    int64_t CountFailedAttempts(const std::string& id, int64_t since) override;
    std::optional<int64_t> ReserveFailedAttempt(const std::string& id, const std::string& clientAddress, int64_t at,
                                                int64_t since, int64_t max) override
    {
      return inner_.ReserveFailedAttempt(id, clientAddress, at, since, max);
    }
    void ReleaseFailedAttempt(int64_t reservation) override { inner_.ReleaseFailedAttempt(reservation); }
    std::optional<int64_t> ReserveCodeGuess(const std::string& clientAddress, int64_t at,
                                            const CodeGuessLimits& limits) override
    {
      return inner_.ReserveCodeGuess(clientAddress, at, limits);
    }
    void ReleaseCodeGuess(int64_t reservation) override { inner_.ReleaseCodeGuess(reservation); }
    std::vector<int64_t> ListFailedAttemptTimes(const std::string& id, int64_t since) override;
    bool ClearFailedAttempts(const std::string& id, const AuditEvent& unlocked) override;
    bool ReplaceAccessCode(const std::string& id, const std::string& codeDigest, const AuditEvent& replaced) override;
    void AppendAudit(const AuditEvent& event) override;
    uint64_t ExternalChangeStamp() override { return inner_.ExternalChangeStamp(); }
    std::vector<AuditEvent> ListAudit(const std::string& shareId) override;

    // API keys are not cached: a revoked key stops at once on every node.
    void CreateApiKey(const StaffApiKey& key, const AuditEvent& created) override { inner_.CreateApiKey(key, created); }
    std::optional<StaffApiKey> FindApiKey(const std::string& digest) override { return inner_.FindApiKey(digest); }
    std::vector<StaffApiKey> ListApiKeys() override { return inner_.ListApiKeys(); }
    bool RevokeApiKey(const std::string& id, int64_t now, const AuditEvent& revoked) override
    {
      return inner_.RevokeApiKey(id, now, revoked);
    }
    void MarkApiKeyUsed(const std::string& id, int64_t at) override { inner_.MarkApiKeyUsed(id, at); }

    // Inbox records are counters: never cached.
    InboxClaim ClaimInboxInstance(const ReceivedInstance& instance, const OrthancPresence& presence,
                                  const InboxLimits& limits) override
    {
      return inner_.ClaimInboxInstance(instance, presence, limits);
    }
    void CompleteInboxInstance(const ReceivedInstance& instance) override { inner_.CompleteInboxInstance(instance); }
    void ReleaseInboxInstance(const std::string& shareId, const std::string& sopInstanceUid) override
    {
      inner_.ReleaseInboxInstance(shareId, sopInstanceUid);
    }
    std::vector<ReceivedInstance> ListReceived(const std::string& shareId) override
    {
      return inner_.ListReceived(shareId);
    }

    void Forget(const std::string& id);

    // Told of every share this cache drops (set once, before use).
    void SetListener(IShareCacheListener* listener) { listener_ = listener; }

  private:
    struct Entry
    {
      std::shared_ptr<const Share> share;  // null: no such share (a negative entry)
      std::chrono::steady_clock::time_point expiresAt;
    };

    void CheckStamp(std::chrono::steady_clock::time_point now);

    IShareStore& inner_;
    const std::chrono::milliseconds lifetime_;
    const size_t capacity_;
    // Readers share the lock: server threads only contend when a share is
    // cached or dropped.
    std::shared_mutex mutex_;
    std::unordered_map<std::string, Entry> entries_;
    uint64_t generation_ = 0;  // bumped by every Forget, so a lookup racing a revocation is not cached
    const std::chrono::milliseconds stampInterval_;
    uint64_t seenStamp_ = 0;
    std::atomic<std::chrono::steady_clock::rep> nextStampCheck_{0};  // steady_clock ticks
    IShareCacheListener* listener_ = nullptr;
  };
}
