// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "AuditEvent.h"
#include "Share.h"

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
    virtual std::vector<Share> List(const ShareFilter& filter) = 0;

    // False when no such share; revoking twice keeps the first date.
    virtual bool Revoke(const std::string& id, int64_t now, const AuditEvent& revoked) = 0;

    // The share whose access code has this digest, if any.
    virtual std::optional<Share> FindByAccessCode(const std::string& codeDigest) = 0;

    // Atomically counts one use if the share has uses left; false otherwise.
    virtual bool ConsumeUse(const std::string& id) = 0;

    // Failed challenge answers, kept to lock a share after too many.
    virtual void RecordFailedAttempt(const std::string& id, const std::string& clientAddress, int64_t at) = 0;
    virtual int64_t CountFailedAttempts(const std::string& id, int64_t since) = 0;

    // Changes whenever another process or node commits to the store (0:
    // unknown). Caches compare it to notice revocations made elsewhere.
    virtual uint64_t ExternalChangeStamp() { return 0; }

    virtual void AppendAudit(const AuditEvent& event) = 0;
    virtual std::vector<AuditEvent> ListAudit(const std::string& shareId) = 0;
  };
}
