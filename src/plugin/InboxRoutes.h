// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <orthanc/OrthancCPlugin.h>

namespace studyshare::plugin
{
  // POST /share/api/inbox/files, GET /share/api/inbox/summary and
  // POST /share/api/inbox/complete: public
  // routes (the gate lets /share/api/ through) that demand an inbox session.
  void RegisterInboxRoutes(OrthancPluginContext* context);
}
