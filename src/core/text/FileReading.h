// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <optional>
#include <string>

namespace studyshare
{
  // A whole file's bytes; nothing when it does not exist or cannot be read.
  std::optional<std::string> ReadWholeFile(const std::string& path);
}
