// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "EmbeddedFiles.h"

#include <orthanc/OrthancCPlugin.h>

#include <string>

namespace studyshare::plugin
{
  // Sends an embedded file with the headers every StudyShare page carries
  // (strict CSP, no referrer, no framing; pages never cached). HTML pages get
  // a <base> at `baseFolder` under the public URL's path: Orthanc routes
  // "/x" and "/x/" alike, so relative links need an anchor.
  void AnswerEmbeddedFile(OrthancPluginRestOutput* output, const EmbeddedFile& file, const std::string& baseFolder);

  // Serves `folder` + the route's first group (default index.html), or 404.
  // `baseFolder` is where the folder is served under the public URL (default: `folder`).
  void AnswerEmbeddedFolder(OrthancPluginRestOutput* output, const OrthancPluginHttpRequest* request,
                            const std::string& folder, const std::string& baseFolder = "");
}
