// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace studyshare::plugin
{
  // The recipients' web pages (web/share/), compiled into the plugin.
  struct EmbeddedFile
  {
    const char* path;  // relative to web/share/, e.g. "i18n/en.json"
    const char* mimeType;
    const unsigned char* data;
    size_t size;
  };

  const std::vector<EmbeddedFile>& GetEmbeddedFiles();
}
