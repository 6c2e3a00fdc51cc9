// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "InboxRecords.h"

#include <nlohmann/json.hpp>

namespace studyshare
{
  // "Kind" of POST /studyshare/shares (absent: "Share"). For "Inbox", reads
  // MaxUploadBytes, MaxFileBytes and MaxFiles into `limits` and refuses what
  // only a share has (Resources, Permissions, Viewer, Anonymize,
  // RequireBirthDate): an inbox shows nothing. Throws BadRequest.
  ShareKind ParseShareKind(const nlohmann::json& body, InboxLimits& limits);
}
