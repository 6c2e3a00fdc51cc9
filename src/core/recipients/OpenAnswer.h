// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "IStudyCatalog.h"
#include "IStudyLabels.h"
#include "Share.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

namespace studyshare
{
  // The 200 answer of POST /share/api/open: the session, when it ends
  // ("ExpirationDate"), when the link itself ends ("ShareExpirationDate",
  // null for a link that never expires), and what the share shows. A share
  // by label shows the studies carrying it now (at most kMaxLabelStudiesShown,
  // "StudiesTruncated" when there are more), read through `labels`; throws
  // CatalogUnavailable when they cannot be read.
  constexpr size_t kMaxLabelStudiesShown = 100;

  nlohmann::json BuildOpenAnswer(const Share& share, IStudyCatalog& catalog, IStudyLabels* labels,
                                 const std::string& sessionToken, int64_t sessionEnd, nlohmann::json viewers);
}
