// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "IStudyCatalog.h"
#include "OrthancApi.h"

namespace studyshare::plugin
{
  class OrthancStudyCatalog : public IStudyCatalog
  {
  public:
    // `copyMetadata`: the metadata that marks StudyShare's anonymized copies.
    OrthancStudyCatalog(const OrthancApi& orthanc, std::string copyMetadata)
      : orthanc_(orthanc), copyMetadata_(std::move(copyMetadata))
    {
    }

    std::optional<CatalogStudy> FindByOrthancId(const std::string& orthancId) override;
    std::vector<CatalogStudy> FindByStudyUid(const std::string& studyInstanceUid) override;
    std::vector<CatalogSeries> ListSeries(const std::string& studyOrthancId) override;
    std::vector<SeriesPixelText> InspectPixelText(const std::string& studyOrthancId) override;  // OrthancCopyFacts.cpp
    std::optional<std::string> CopyOwner(const std::string& studyOrthancId) override;           // OrthancCopyFacts.cpp

  private:
    const OrthancApi& orthanc_;
    const std::string copyMetadata_;
  };
}
