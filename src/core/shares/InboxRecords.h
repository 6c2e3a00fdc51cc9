// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <string>

namespace studyshare
{
  // A share sends studies out; an inbox lets one outside person upload into
  // Orthanc, and reads nothing.
  enum class ShareKind
  {
    Share,
    Inbox
  };

  const char* ToString(ShareKind kind);  // "Share", "Inbox", as the APIs spell them

  struct InboxLimits
  {
    int64_t maxUploadBytes = int64_t(4) << 30;  // 4 GiB accepted in all
    int64_t maxFileBytes = int64_t(512) << 20;  // 512 MiB per file (a ZIP member counts as one file)
    int64_t maxFiles = 20000;                   // accepted instances in all

    std::string ToJson() const;
    static InboxLimits FromJson(const std::string& text);  // empty or unreadable: the defaults
  };

  // One instance an inbox received, as recorded against it in the store.
  struct ReceivedInstance
  {
    std::string shareId;
    std::string sopInstanceUid;
    std::string seriesInstanceUid;
    std::string studyInstanceUid;
    std::string orthancInstanceId;  // set once Orthanc stored it
    std::string orthancStudyId;
    std::string patientName;
    std::string patientId;
    std::string studyDate;
    std::string studyDescription;
    std::string modality;
    int64_t bytes = 0;
    int64_t at = 0;
  };

  // What the store says when an inbox claims an instance before Orthanc
  // stores it. Only Claimed lets the upload go on; AlreadyReceived is the
  // same file sent twice to the same inbox (nothing counted again).
  enum class InboxClaim
  {
    Claimed,
    AlreadyReceived,
    InstanceExists,  // the SOPInstanceUID is in Orthanc, not from this inbox
    StudyExists,     // the StudyInstanceUID is in Orthanc, not created by this inbox
    OtherInbox,      // another inbox holds this instance or study
    TooManyFiles,    // MaxFiles reached
    TooManyBytes     // MaxUploadBytes reached
  };

  const char* Describe(InboxClaim claim);  // the real reason, for staff only

  // What Orthanc already holds, asked before the claim.
  struct OrthancPresence
  {
    bool studyExists = false;
    bool instanceExists = false;
  };
}
