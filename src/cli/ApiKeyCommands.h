// SPDX-License-Identifier: GPL-3.0-or-later
// `studyshare api-key create|list|revoke`: staff API keys (admins only).
#pragma once

#include "Commands.h"

#include <optional>
#include <string>

namespace studyshare::cli
{
  struct ApiKeyOptions
  {
    std::string name;
    std::string role = "sharer";
    std::optional<long long> days;  // absent: never expires
  };

  int CreateApiKey(const ApiClient& api, const ApiKeyOptions& options, const OutputOptions& output);
  int ListApiKeys(const ApiClient& api, const OutputOptions& output);
  int RevokeApiKey(const ApiClient& api, const std::string& id, const OutputOptions& output);
}
