// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <orthanc/OrthancCPlugin.h>
#include <nlohmann/json.hpp>

namespace studyshare::plugin
{
  // Sends `body` as JSON with `status`, with headers that keep it out of caches.
  void AnswerJson(OrthancPluginRestOutput* output, int status, const nlohmann::json& body);
}
