// SPDX-License-Identifier: GPL-3.0-or-later
#include "ExplorerExtension.h"

#include "EmbeddedFiles.h"

#include <string>

namespace studyshare::plugin
{
  void RegisterExplorerExtension(OrthancPluginContext* context)
  {
    const EmbeddedFile* script = FindEmbeddedFile("explorer/share-button.js");
    if (script == nullptr)
    {
      OrthancPluginLogWarning(context, "StudyShare: explorer/share-button.js is not embedded; no Share button");
      return;
    }
    const std::string javascript(reinterpret_cast<const char*>(script->data), script->size);
    OrthancPluginExtendOrthancExplorer(context, javascript.c_str());
  }
}
