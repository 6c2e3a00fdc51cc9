// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "AuditEvent.h"
#include "Share.h"
#include "StaffApiKey.h"

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace studyshare
{
  // Thrown when the backing database cannot answer; the gate turns it into a
  // refusal (fail closed), never into an allow.
  class StoreUnavailable : public std::runtime_error
  {
  public:
    using std::runtime_error::runtime_error;
  };

  class IShareStore
  {
  public:
    virtual ~IShareStore() = default;
    IShareStore() = default;
    IShareStore(const IShareStore&) = delete;
    IShareStore& operator=(const IShareStore&) = delete;

    // Atomically stores the share with its first audit event.
    virtual void Create(const Share& share, const AuditEvent& created) = 0;
    virtual std::optional<Share> Lookup(const std::string& id) = 0;
    // The same answer, shared and immutable: a caching store hands out the
    // share it holds instead of a copy per request (null when no such share).
    virtual std::shared_ptr<const Share> LookupShared(const std::string& id)
    {
      std::optional<Share> share = Lookup(id);
      return share ? std::make_shared<const Share>(std::move(*share)) : nullptr;
    }
    virtual std::vector<Share> List(const ShareFilter& filter) = 0;

    // False when no such share; revoking twice keeps the first date.
    virtual bool Revoke(const std::string& id, int64_t now, const AuditEvent& revoked) = 0;

    // Records an anonymized share's progress; with `studies`, they replace
    // the studies the share names (its copies, once Ready). False when no
    // such share. The event, if any, is audited in the same transaction.
    virtual bool UpdateAnonymization(const std::string& id, const ShareAnonymization& anonymization,
                                     const std::optional<std::vector<SharedStudy>>& studies,
                                     const std::optional<AuditEvent>& event) = 0;

    // The share whose access code has this digest, if any.
    virtual std::optional<Share> FindByAccessCode(const std::string& codeDigest) = 0;

    // Short links: the keyed digest of the share's short-link key (one per
    // share; setting it again replaces the old one). Find answers whatever
    // the share's state (the opener judges it, so a revoked share's key says
    // "revoked").
    virtual void SetShortKey(const std::string& id, const std::string& keyDigest) = 0;
    virtual std::optional<Share> FindByShortKey(const std::string& keyDigest) = 0;

    // Atomically counts one use if the share has uses left; false otherwise.
    virtual bool ConsumeUse(const std::string& id) = 0;

    // Failed challenge answers, kept to lock a share after too many.
    virtual void RecordFailedAttempt(const std::string& id, const std::string& clientAddress, int64_t at) = 0;
    virtual int64_t CountFailedAttempts(const std::string& id, int64_t since) = 0;

    // Reserves one failed attempt BEFORE a slow answer check, so parallel
    // wrong answers cannot all be checked: nullopt when `max` attempts since
    // `since` are already recorded (locked). The reservation counts as a
    // failure until released (a correct answer releases it). Atomic across
    // threads, processes and nodes of the store.
    virtual std::optional<int64_t> ReserveFailedAttempt(const std::string& id, const std::string& clientAddress,
                                                        int64_t at, int64_t since, int64_t max) = 0;
    virtual void ReleaseFailedAttempt(int64_t reservation) = 0;

    // Times of the failed attempts since `since`, newest first: when a
    // locked share opens again. Clearing them (staff unlocking the share)
    // and its audit event are one transaction; false when no such share.
    virtual std::vector<int64_t> ListFailedAttemptTimes(const std::string& id, int64_t since) = 0;
    virtual bool ClearFailedAttempts(const std::string& id, const AuditEvent& unlocked) = 0;

    // Replaces the share's access code (the old one stops at once), with its
    // audit event, atomically; false when no such share.
    virtual bool ReplaceAccessCode(const std::string& id, const std::string& codeDigest,
                                   const AuditEvent& replaced) = 0;

    // Reserves one access-code guess for a client, atomically. Refused
    // (nullopt) when the client has `perClient` failures since `since`, or
    // when it has failed at least once and the whole store has `global`
    // failures: a client that has not failed is never refused because others
    // did. Released when the code turns out valid.
    struct CodeGuessLimits
    {
      int64_t since = 0;
      int64_t perClient = 10;
      int64_t global = 1000;
    };
    virtual std::optional<int64_t> ReserveCodeGuess(const std::string& clientAddress, int64_t at,
                                                    const CodeGuessLimits& limits) = 0;
    virtual void ReleaseCodeGuess(int64_t reservation) = 0;

    // Changes whenever another process or node commits to the store (0:
    // unknown). Caches compare it to notice revocations made elsewhere.
    virtual uint64_t ExternalChangeStamp() { return 0; }

    virtual void AppendAudit(const AuditEvent& event) = 0;
    virtual std::vector<AuditEvent> ListAudit(const std::string& shareId) = 0;

    // Staff API keys, each stored with its first audit event. Find answers
    // by digest whatever the key's state (the caller judges it); revoking
    // twice keeps the first date. MarkApiKeyUsed only moves the date forward.
    virtual void CreateApiKey(const StaffApiKey& key, const AuditEvent& created) = 0;
    virtual std::optional<StaffApiKey> FindApiKey(const std::string& digest) = 0;
    virtual std::vector<StaffApiKey> ListApiKeys() = 0;
    virtual bool RevokeApiKey(const std::string& id, int64_t now, const AuditEvent& revoked) = 0;
    virtual void MarkApiKeyUsed(const std::string& id, int64_t at) = 0;

    // Inboxes (InboxRecords.h). Before Orthanc stores an uploaded instance
    // the inbox claims it: in one transaction its SOP and study UIDs are
    // reserved for this inbox (refused when Orthanc or another inbox holds
    // them) and its bytes are counted against the limits, so parallel
    // uploads on any node never pass them. Then Complete (Orthanc stored
    // it) or Release (it did not: the claim and its bytes are given back).
    // Stores that keep no inbox refuse (fail closed).
    virtual InboxClaim ClaimInboxInstance(const ReceivedInstance& instance, const OrthancPresence& presence,
                                          const InboxLimits& limits)
    {
      (void)instance, (void)presence, (void)limits;
      throw StoreUnavailable("this store keeps no inbox");
    }
    virtual void CompleteInboxInstance(const ReceivedInstance& instance) { (void)instance; }
    virtual void ReleaseInboxInstance(const std::string& shareId, const std::string& sopInstanceUid)
    {
      (void)shareId, (void)sopInstanceUid;
    }
    // The completed instances of an inbox, oldest first.
    virtual std::vector<ReceivedInstance> ListReceived(const std::string& shareId)
    {
      (void)shareId;
      return {};
    }
  };
}
