// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "IInboxArchive.h"
#include "OrthancApi.h"

namespace studyshare::plugin
{
  // The inbox's archive is this Orthanc: files are read with Orthanc's DICOM
  // parser, looked up with /tools/lookup, stored with POST /instances and
  // marked with the user metadata `metadata` (an index or a UserMetadata name).
  class OrthancInboxArchive : public IInboxArchive
  {
  public:
    OrthancInboxArchive(const OrthancApi& orthanc, std::string metadata)
      : orthanc_(orthanc), metadata_(std::move(metadata))
    {
    }

    std::optional<DicomFacts> Read(std::string_view file) override;
    OrthancPresence Find(const DicomFacts& facts) override;
    Stored Store(std::string_view file) override;
    void Mark(const std::string& instanceId, const std::string& inboxId) override;

  private:
    bool Exists(const std::string& uid, const char* type) const;

    const OrthancApi& orthanc_;
    const std::string metadata_;
  };
}
