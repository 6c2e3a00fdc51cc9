// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <orthanc/OrthancCPlugin.h>

namespace studyshare::plugin
{
  // GET /studyshare/letter/logo (staff only): the PNG of StudyShare.Letter.LogoFile
  // that access letters carry; 404 with a JSON message when none is configured.
  void RegisterLetterRoutes(OrthancPluginContext* context);
}
