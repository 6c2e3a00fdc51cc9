// SPDX-License-Identifier: GPL-3.0-or-later
#include "StoreMigration.h"

#include <algorithm>

namespace studyshare
{
  namespace
  {
    bool SameStudies(const Share& a, const Share& b)
    {
      if (a.studies.size() != b.studies.size())
      {
        return false;
      }
      for (size_t i = 0; i < a.studies.size(); i++)
      {
        const SharedStudy& x = a.studies[i];
        const SharedStudy& y = b.studies[i];
        if (x.orthancId != y.orthancId || x.dicomUid != y.dicomUid || x.patientName != y.patientName ||
            x.patientId != y.patientId || x.studyDate != y.studyDate || x.studyDescription != y.studyDescription)
        {
          return false;
        }
      }
      return true;
    }

    bool Same(const Share& a, const Share& b)
    {
      return a.id == b.id && a.permissions == b.permissions && a.createdAt == b.createdAt &&
             a.expiresAt == b.expiresAt && a.revokedAt == b.revokedAt && a.maxUses == b.maxUses && a.uses == b.uses &&
             a.passwordHash == b.passwordHash && a.requireBirthDate == b.requireBirthDate &&
             a.requireEmailCode == b.requireEmailCode && a.accessCodeHash == b.accessCodeHash &&
             a.anonymize == b.anonymize && a.viewer == b.viewer && a.createdBy == b.createdBy && a.note == b.note &&
             a.recipientJson == b.recipientJson && a.tokenType == b.tokenType &&
             (!a.anonymize || a.anonymization.ToJson() == b.anonymization.ToJson()) && SameStudies(a, b);
    }
  }

  namespace
  {
    bool SameKey(const StaffApiKey& a, const StaffApiKey& b)
    {
      return a.id == b.id && a.name == b.name && a.role == b.role && a.digest == b.digest &&
             a.createdBy == b.createdBy && a.createdAt == b.createdAt && a.expiresAt == b.expiresAt &&
             a.revokedAt == b.revokedAt;
    }

    // Staff API keys keep their digests (the server key goes with the
    // configuration), their state and their audit lines.
    void MigrateApiKeys(IShareStore& from, IShareStore& to, StoreMigrationReport& report)
    {
      std::vector<StaffApiKey> existing = to.ListApiKeys();
      for (const StaffApiKey& key : from.ListApiKeys())
      {
        const std::string subject = ApiKeyAuditSubject(key.id);
        const std::vector<AuditEvent> audit = from.ListAudit(subject);
        report.auditEvents += static_cast<int64_t>(audit.size());
        report.apiKeys++;
        auto there = std::find_if(existing.begin(), existing.end(),
                                  [&key](const StaffApiKey& other) { return other.id == key.id; });
        if (there != existing.end())
        {
          if (!SameKey(key, *there) || to.ListAudit(subject).size() != audit.size())
          {
            throw StoreMigrationConflict("the target already holds a different API key " + key.id +
                                         ": nothing was overwritten");
          }
          continue;
        }
        to.CreateApiKey(
          key, audit.empty() ? AuditEvent{subject, key.createdAt, "api-key-create", "migrated", "", "", ""} : audit[0]);
        for (size_t i = 1; i < audit.size(); i++)
        {
          to.AppendAudit(audit[i]);
        }
      }
    }
  }

  StoreMigrationReport MigrateStore(IShareStore& from, IShareStore& to)
  {
    StoreMigrationReport report;
    const std::vector<Share> shares = from.List(ShareFilter{});
    report.shares = static_cast<int64_t>(shares.size());
    for (const Share& share : shares)
    {
      const std::vector<AuditEvent> audit = from.ListAudit(share.id);
      report.auditEvents += static_cast<int64_t>(audit.size());
      const std::optional<Share> existing = to.Lookup(share.id);
      if (existing)
      {
        if (!Same(share, *existing) || to.ListAudit(share.id).size() != audit.size())
        {
          throw StoreMigrationConflict("the target already holds a different share " + share.id +
                                       ": nothing was overwritten");
        }
        report.alreadyThere++;
        continue;
      }
      // The share and its first audit line go in one transaction; a run
      // stopped midway leaves the share with a short trail, which the next
      // run reports as a conflict rather than duplicating lines.
      const AuditEvent first = audit.empty() ? AuditEvent{share.id, share.createdAt, "create", "migrated"} : audit[0];
      to.Create(share, first);
      for (size_t i = 1; i < audit.size(); i++)
      {
        to.AppendAudit(audit[i]);
      }
      report.copied++;
    }
    for (const Share& share : shares)
    {
      const std::optional<Share> copied = to.Lookup(share.id);
      const size_t expected = std::max<size_t>(from.ListAudit(share.id).size(), 1);
      if (!copied || !Same(share, *copied) || to.ListAudit(share.id).size() != expected)
      {
        throw StoreMigrationConflict("verification failed for share " + share.id);
      }
    }
    MigrateApiKeys(from, to, report);
    return report;
  }
}
