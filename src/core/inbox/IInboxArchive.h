// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "InboxRecords.h"

#include <optional>
#include <string>
#include <string_view>

namespace studyshare
{
  // What an inbox needs from the archive it feeds (Orthanc, in the plugin):
  // read a file's identifiers, say whether Orthanc holds them, store it, and
  // mark what was stored as received through an inbox.
  class IInboxArchive
  {
  public:
    virtual ~IInboxArchive() = default;

    struct DicomFacts
    {
      std::string studyInstanceUid;
      std::string seriesInstanceUid;
      std::string sopInstanceUid;
      std::string patientName;
      std::string patientId;
      std::string studyDate;
      std::string studyDescription;
      std::string modality;
    };

    // nullopt: not a DICOM object that can be stored (or without its UIDs).
    virtual std::optional<DicomFacts> Read(std::string_view file) = 0;
    virtual OrthancPresence Find(const DicomFacts& facts) = 0;

    struct Stored
    {
      bool success = false;
      bool alreadyStored = false;  // Orthanc had it already: nothing was written
      std::string instanceId;
      std::string studyId;
      std::string error;  // for the log and staff
    };
    virtual Stored Store(std::string_view file) = 0;
    virtual void Mark(const std::string& instanceId, const std::string& inboxId) = 0;
  };
}
