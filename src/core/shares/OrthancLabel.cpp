// SPDX-License-Identifier: GPL-3.0-or-later
#include "OrthancLabel.h"

#include <algorithm>
#include <cctype>

namespace studyshare
{
  bool IsValidOrthancLabel(const std::string& label)
  {
    constexpr size_t kMaxLabelLength = 64;
    return !label.empty() && label.size() <= kMaxLabelLength &&
           std::all_of(label.begin(), label.end(),
                       [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-'; });
  }
}
