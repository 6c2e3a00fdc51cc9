// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace studyshare
{
  bool EqualsIgnoreCase(std::string_view a, std::string_view b);
  std::string ToLowerAscii(std::string_view text);
  bool StartsWith(std::string_view text, std::string_view prefix);
  std::vector<std::string> Split(std::string_view text, char separator);
  std::string Trim(std::string_view text);
  // The same, as a view into `text` (nothing copied).
  std::string_view TrimView(std::string_view text);
}
