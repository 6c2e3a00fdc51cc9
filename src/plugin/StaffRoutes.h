// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <orthanc/OrthancCPlugin.h>

namespace studyshare::plugin
{
  // Staff browser sessions: the login page, POST /studyshare/api/login
  // (sets an HttpOnly, SameSite=Strict cookie), logout and "who am I".
  void RegisterStaffRoutes(OrthancPluginContext* context);
}
