// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <orthanc/OrthancCPlugin.h>

namespace studyshare::plugin
{
  // /studyshare/api-keys (GET list, POST create) and /studyshare/api-keys/{id}
  // (DELETE revoke), admins only (ApiKeyApi).
  void RegisterApiKeyRoutes(OrthancPluginContext* context);
}
