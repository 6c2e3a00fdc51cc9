// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "IResourceResolver.h"
#include "OrthancApi.h"

namespace studyshare::plugin
{
  // Maps series, instances and DICOM UIDs to their studies through Orthanc's
  // own database (internal REST calls, which the HTTP filter never sees).
  class OrthancResolver : public IResourceResolver
  {
  public:
    explicit OrthancResolver(const OrthancApi& orthanc) : orthanc_(orthanc) {}

    Resolution ResolveStudies(const ResourceView& resource) override;

    // Where the Orthanc IDs a DICOM UID names are resolved (a cache in front
    // of this resolver): a UID costs one index query, its IDs' parents are cached.
    void ResolveFoundIdsThrough(IResourceResolver& byOrthancId) { byOrthancId_ = &byOrthancId; }

  private:
    // The study of one Orthanc resource; Found/NotFound/Unavailable in `status`.
    std::optional<std::string> StudyOf(ResourceLevel level, const std::string& orthancId, ResolutionStatus& status);
    std::optional<std::string> ParentOf(const std::string& uri, const char* field, ResolutionStatus& status);

    const OrthancApi& orthanc_;
    IResourceResolver* byOrthancId_ = this;
  };
}
