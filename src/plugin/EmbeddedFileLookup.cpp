// SPDX-License-Identifier: GPL-3.0-or-later
#include "EmbeddedFiles.h"

namespace studyshare::plugin
{
  const EmbeddedFile* FindEmbeddedFile(const std::string& path)
  {
    for (const EmbeddedFile& file : GetEmbeddedFiles())
    {
      if (path == file.path)
      {
        return &file;
      }
    }
    return nullptr;
  }
}
