// SPDX-License-Identifier: GPL-3.0-or-later
#include "FileReading.h"

#include <fstream>
#include <sstream>

namespace studyshare
{
  std::optional<std::string> ReadWholeFile(const std::string& path)
  {
    std::ifstream file(path, std::ios::binary);
    if (!file)
    {
      return std::nullopt;
    }
    std::ostringstream content;
    content << file.rdbuf();
    if (file.bad())
    {
      return std::nullopt;
    }
    return content.str();
  }
}
