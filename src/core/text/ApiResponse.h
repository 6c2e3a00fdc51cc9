// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <nlohmann/json.hpp>

namespace studyshare
{
  // What a core API answers, independent of the HTTP server.
  struct ApiResponse
  {
    int status = 200;
    nlohmann::json body;
  };
}
