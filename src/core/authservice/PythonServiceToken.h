// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "AuthTokenType.h"
#include "Share.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace studyshare
{
  // A link issued by the Python orthanc-auth-service before it was replaced:
  // an HS256 JWT signed with its SECRET_KEY whose payload is the creation
  // request itself (no `exp`, `aud` or `typ`). Accepted only when a site
  // turns it on, so that links already sent to patients keep working; such
  // a link cannot be revoked alone (only by its expiry or a new SECRET_KEY).
  struct PythonServiceToken
  {
    AuthTokenType type = AuthTokenType::ViewerInstantLink;
    std::vector<SharedStudy> studies;  // orthancId / dicomUid as the token names them
    std::optional<int64_t> expiresAt;
  };

  enum class PythonTokenStatus
  {
    Valid,
    Invalid,  // not such a token, or a bad signature
    Expired
  };

  struct PythonTokenCheck
  {
    PythonTokenStatus status = PythonTokenStatus::Invalid;
    PythonServiceToken token;
  };

  PythonTokenCheck ReadPythonServiceToken(std::string_view token, const std::string& secret, int64_t now);
}
