// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <orthanc/OrthancCPlugin.h>

namespace studyshare::plugin
{
  // Injects web/explorer/share-button.js into Orthanc Explorer
  // (/app/explorer.html): a Share button on study and patient pages.
  void RegisterExplorerExtension(OrthancPluginContext* context);
}
