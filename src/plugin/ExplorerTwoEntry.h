// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <orthanc/OrthancCPlugin.h>

namespace studyshare::plugin
{
  // Orthanc Explorer 2's entry page, /ui/app/: a signed-in staff member gets
  // Orthanc Explorer 2's own page, anyone else the staff sign-in page, which
  // comes back here once signed in. Registered before Orthanc Explorer 2's
  // routes (StudyShare is listed before it in "Plugins"), so it answers first.
  void RegisterExplorerTwoEntry(OrthancPluginContext* context);
}
