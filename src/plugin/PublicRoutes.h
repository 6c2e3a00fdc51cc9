// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <orthanc/OrthancCPlugin.h>

namespace studyshare::plugin
{
  // The recipients' routes, public by design: the pages under /share/ and
  // POST /share/api/open, which exchanges a link or a code for a session.
  void RegisterPublicRoutes(OrthancPluginContext* context);
}
