// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <orthanc/OrthancCPlugin.h>

namespace studyshare::plugin
{
  // Registers the staff REST API (/studyshare/...). The gate already keeps
  // anyone but staff out; each handler still authenticates to know who calls.
  void RegisterAdminRoutes(OrthancPluginContext* context);
}
