// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "InboxRecords.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace studyshare
{
  enum class Permission : unsigned
  {
    View = 1,
    Download = 2
  };

  struct SharedStudy
  {
    std::string orthancId;
    std::string dicomUid;
    std::string patientName;
    std::string patientId;
    std::string studyDate;
    std::string studyDescription;
    // "study" (or empty): the whole study. "series": only the series these
    // identifiers name (made through the token service, which cannot see
    // the hierarchy); it never opens its study. "label": the one row of a
    // share by label, which names no study (orthancId empty) and keeps the
    // label in dicomUid, so the stores hold it without a schema change.
    std::string level;
    std::string accessionNumber;  // as the study had it when shared (staff search by it)

    bool IsWholeStudy() const { return level.empty() || level == "study"; }
    bool IsLabel() const { return level == "label"; }

    static SharedStudy ForLabel(const std::string& label)
    {
      SharedStudy row;
      row.dicomUid = label;
      row.level = "label";
      return row;
    }
  };

  enum class ShareState
  {
    Active,
    Expired,
    Revoked,
    Exhausted
  };

  const char* ToString(ShareState state);

  // An anonymized share: the studies it names are de-identified copies made
  // after it was stored; until they are Ready it names none and opens nothing.
  enum class AnonymizationState
  {
    Pending,
    Running,
    Ready,
    Failed
  };

  const char* ToString(AnonymizationState state);

  struct ShareAnonymization
  {
    AnonymizationState state = AnonymizationState::Pending;
    std::string error;
    std::vector<std::string> originals;  // Orthanc IDs of the studies to copy, in order
    std::vector<std::string> copies;     // Orthanc IDs of the copies made so far, in the same order
    std::string jobId;                   // Orthanc's job copying originals[copies.size()]
    std::string jobPseudonym;            // the patient name that job writes its copy under
    // The anonymized copy of originals[copies.size()] while the second pass
    // rewrites it into the final copy (which then has no link to the original).
    std::string intermediate;
    bool copiesDeleted = false;  // the share ended and its copies were removed

    bool IsReady() const { return state == AnonymizationState::Ready; }
    std::string ToJson() const;
    static ShareAnonymization FromJson(const std::string& text);  // empty or unreadable: Failed, never Ready
  };

  struct Share
  {
    std::string id;
    std::vector<SharedStudy> studies;
    unsigned permissions = static_cast<unsigned>(Permission::View);
    int64_t createdAt = 0;
    std::optional<int64_t> expiresAt;  // absent: never expires
    std::optional<int64_t> revokedAt;
    std::optional<int64_t> maxUses;
    int64_t uses = 0;
    std::string passwordHash;  // empty: no password
    bool requireBirthDate = false;
    bool requireEmailCode = false;  // a one-time code e-mailed to Recipient.Email is asked
    std::string accessCodeHash;     // empty: no access code
    bool anonymize = false;
    ShareAnonymization anonymization;  // meaningful only when anonymize
    std::string viewer;
    std::string createdBy;
    std::string note;
    std::string recipientJson;  // opaque to the core, as staff sent it
    std::string tokenType;      // made through the token web service: its type (e.g. "ohif-viewer-publication")
    ShareKind kind = ShareKind::Share;
    InboxLimits inboxLimits;  // meaningful only for an inbox

    bool IsInbox() const { return kind == ShareKind::Inbox; }

    // A share by label grants the studies that carry the label at each
    // request, read from the DICOM server; it names no study itself.
    std::optional<std::string> SharedLabel() const
    {
      if (studies.size() == 1 && studies[0].IsLabel())
      {
        return studies[0].dicomUid;
      }
      return std::nullopt;
    }

    bool Has(Permission permission) const { return (permissions & static_cast<unsigned>(permission)) != 0; }
    std::vector<std::string> PermissionNames() const;  // "View", "Download", as the APIs spell them
    ShareState StateAt(int64_t now) const;

    // DESIGN rule 6: a share token opens images directly only when nothing
    // protects the share; otherwise it must be exchanged for a session.
    bool OpensDirectly() const;

    // An anonymized share grants nothing until its copies are ready.
    bool IsPrepared() const { return !anonymize || anonymization.IsReady(); }
  };

  struct ShareFilter
  {
    std::optional<std::string> studyOrthancId;
    std::optional<std::string> createdBy;
    bool activeOnly = false;
    int64_t now = 0;
  };
}
