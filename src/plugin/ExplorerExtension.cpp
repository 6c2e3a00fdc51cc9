// SPDX-License-Identifier: GPL-3.0-or-later
#include "ExplorerExtension.h"

#include "EmbeddedFiles.h"
#include "PluginRuntime.h"

#include <nlohmann/json.hpp>

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
    // The script learns which metadata marks StudyShare's copies (it hides their Share button).
    const std::string copyMetadata = PluginRuntime::Get().Config().anonymization.copyMetadata;
    const std::string javascript = "window.StudyShareCopyMetadata = " + nlohmann::json(copyMetadata).dump() + ";\n" +
                                   std::string(reinterpret_cast<const char*>(script->data), script->size);
    OrthancPluginExtendOrthancExplorer(context, javascript.c_str());
  }
}
