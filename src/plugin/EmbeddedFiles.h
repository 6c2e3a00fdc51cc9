// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace studyshare::plugin
{
  // The plugin's web pages (web/), compiled into the plugin.
  struct EmbeddedFile
  {
    const char* path;  // relative to web/, e.g. "share/i18n/en.json"
    const char* mimeType;
    const unsigned char* data;
    size_t size;
  };

  const std::vector<EmbeddedFile>& GetEmbeddedFiles();

  const EmbeddedFile* FindEmbeddedFile(const std::string& path);
}
