// SPDX-License-Identifier: GPL-3.0-or-later
// `studyshare inbox create`: an upload link that receives studies from outside.
#pragma once

#include "Commands.h"

#include <optional>
#include <string>

namespace studyshare::cli
{
  struct InboxOptions : LinkOptions
  {
    std::string recipientName;
    std::string recipientEmail;
    std::string maxUploadBytes;  // "4G", "512MiB", "1000000": parsed by ParseByteSize
    std::string maxFileBytes;
    std::optional<long long> maxFiles;
  };

  // "123", "512K", "512KiB", "4G", "1T" (binary multiples; "B" and "iB" optional)
  // into bytes; throws UsageError naming `option` otherwise.
  long long ParseByteSize(const std::string& text, const std::string& option);

  int CreateInbox(const ApiClient& api, const InboxOptions& options, const OutputOptions& output);
}
