// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <orthanc/OrthancCPlugin.h>

namespace studyshare::plugin
{
  // POST /share/api/inbox/files and GET /share/api/inbox/summary: public
  // routes (the gate lets /share/api/ through) that demand an inbox session.
  void RegisterInboxRoutes(OrthancPluginContext* context);
}
