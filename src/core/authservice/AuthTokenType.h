// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace studyshare
{
  // The token types of the web-service protocol spoken by Orthanc's
  // authorization plugin and Orthanc Explorer 2 (`PUT /tokens/{type}`).
  enum class AuthTokenType
  {
    StoneViewerPublication,
    OsimisViewerPublication,
    OhifViewerPublication,
    VolviewViewerPublication,
    MeddreamViewerPublication,
    MeddreamInstantLink,
    ViewerInstantLink,
    DownloadInstantLink
  };

  const char* ToString(AuthTokenType type);  // the wire name, e.g. "ohif-viewer-publication"
  std::optional<AuthTokenType> ParseAuthTokenType(std::string_view name);

  // Permissions a share of this type carries (Share's Permission bits).
  unsigned PermissionsOf(AuthTokenType type);

  // The `Viewer` the recipient pages offer first for such a share.
  const char* ViewerOf(AuthTokenType type);

  // Every wire name, comma-separated, for error messages.
  std::string ListAuthTokenTypes();
}
