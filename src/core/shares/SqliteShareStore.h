// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "IShareStore.h"
#include "SqliteDatabase.h"

#include <mutex>

namespace studyshare
{
  // The embedded store: one SQLite file in WAL mode, schema versioned through
  // PRAGMA user_version and migrated forward at open.
  class SqliteShareStore : public IShareStore
  {
  public:
    explicit SqliteShareStore(const std::string& path);

    static int CurrentSchemaVersion();
    uint64_t ExternalChangeStamp() override;  // SQLite's data_version: commits by other connections
    int GetSchemaVersion();

    void Create(const Share& share, const AuditEvent& created) override;
    std::optional<Share> Lookup(const std::string& id) override;
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
                                                int64_t since, int64_t max) override;
    void ReleaseFailedAttempt(int64_t reservation) override;
    std::optional<int64_t> ReserveCodeGuess(const std::string& clientAddress, int64_t at,
                                            const CodeGuessLimits& limits) override;
    void ReleaseCodeGuess(int64_t reservation) override;
    std::vector<int64_t> ListFailedAttemptTimes(const std::string& id, int64_t since) override;
    bool ClearFailedAttempts(const std::string& id, const AuditEvent& unlocked) override;
    bool ReplaceAccessCode(const std::string& id, const std::string& codeDigest, const AuditEvent& replaced) override;
    void AppendAudit(const AuditEvent& event) override;
    std::vector<AuditEvent> ListAudit(const std::string& shareId) override;
    void CreateApiKey(const StaffApiKey& key, const AuditEvent& created) override;
    std::optional<StaffApiKey> FindApiKey(const std::string& digest) override;
    std::vector<StaffApiKey> ListApiKeys() override;
    bool RevokeApiKey(const std::string& id, int64_t now, const AuditEvent& revoked) override;
    void MarkApiKeyUsed(const std::string& id, int64_t at) override;
    InboxClaim ClaimInboxInstance(const ReceivedInstance& instance, const OrthancPresence& presence,
                                  const InboxLimits& limits) override;
    void CompleteInboxInstance(const ReceivedInstance& instance) override;
    void ReleaseInboxInstance(const std::string& shareId, const std::string& sopInstanceUid) override;
    std::vector<ReceivedInstance> ListReceived(const std::string& shareId) override;

  private:
    std::unique_lock<std::mutex> LockOpenStore();
    void Configure();
    void Migrate();
    void InsertAudit(const AuditEvent& event);
    void LoadStudies(Share& share);
    void InsertStudies(const std::string& shareId, const std::vector<SharedStudy>& studies);

    std::mutex mutex_;
    std::string path_;
    SqliteDatabase db_;
  };
}
