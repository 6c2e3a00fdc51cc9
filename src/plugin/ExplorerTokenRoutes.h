// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <orthanc/OrthancCPlugin.h>

namespace studyshare::plugin
{
  // The authorization plugin's routes that Orthanc Explorer 2 calls:
  // PUT /auth/tokens/{type} (staff) and POST /auth/tokens/decode (public,
  // for its token landing page).
  void RegisterExplorerTokenRoutes(OrthancPluginContext* context);
}
