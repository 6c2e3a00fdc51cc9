// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "IStudyCatalog.h"
#include "ShareRequest.h"

#include <cstddef>
#include <vector>

namespace studyshare
{
  // The one check every way of making a share goes through (the staff API,
  // Orthanc Explorer 2's /auth/tokens): at most `maxStudies` studies, each
  // one held by this server, its OrthancId and DicomUid agreeing when both
  // are given, none named twice. The answer carries both identifiers as the
  // catalog knows them, so a share made from a UID alone opens its study.
  // Throws BadRequest (naming the study) or CatalogUnavailable.
  std::vector<SharedStudy> ResolveSharedStudies(IStudyCatalog& catalog, const std::vector<RequestedStudy>& requested,
                                                size_t maxStudies, bool needBirthDate);
}
