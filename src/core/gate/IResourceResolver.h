// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ResourceRef.h"

#include <algorithm>
#include <functional>
#include <string>
#include <vector>

namespace studyshare
{
  enum class ResolutionStatus
  {
    Found,
    NotFound,
    Unavailable
  };

  struct Resolution
  {
    ResolutionStatus status = ResolutionStatus::Unavailable;
    std::vector<std::string> studies;  // Orthanc IDs of every study the reference may designate
  };

  // Finds the studies a resource belongs to, from the DICOM server's own
  // database. A DICOM UID may designate several resources (the same UID under
  // two patients): all their studies are returned, and all must be granted.
  class IResourceResolver
  {
  public:
    virtual ~IResourceResolver() = default;
    IResourceResolver() = default;
    IResourceResolver(const IResourceResolver&) = delete;
    IResourceResolver& operator=(const IResourceResolver&) = delete;

    virtual Resolution ResolveStudies(const ResourceView& resource) = 0;

    // Whether the resource belongs to at least one study and all of them
    // satisfy `granted` (Found, with `allGranted` set), or why it cannot be
    // told. A caching resolver answers this without copying the list.
    virtual ResolutionStatus CheckStudies(const ResourceView& resource,
                                          const std::function<bool(const std::string&)>& granted, bool& allGranted)
    {
      const Resolution resolution = ResolveStudies(resource);
      allGranted = !resolution.studies.empty() &&
                   std::all_of(resolution.studies.begin(), resolution.studies.end(), std::cref(granted));
      return resolution.studies.empty() && resolution.status == ResolutionStatus::Found ? ResolutionStatus::NotFound
                                                                                        : resolution.status;
    }
  };
}
