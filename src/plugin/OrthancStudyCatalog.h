// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "IStudyCatalog.h"
#include "OrthancApi.h"

namespace studyshare::plugin
{
  class OrthancStudyCatalog : public IStudyCatalog
  {
  public:
    explicit OrthancStudyCatalog(const OrthancApi& orthanc) : orthanc_(orthanc) {}

    std::optional<CatalogStudy> FindByOrthancId(const std::string& orthancId) override;
    std::vector<CatalogStudy> FindByStudyUid(const std::string& studyInstanceUid) override;
    std::vector<CatalogSeries> ListSeries(const std::string& studyOrthancId) override;

  private:
    const OrthancApi& orthanc_;
  };
}
