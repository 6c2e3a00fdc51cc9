// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <nlohmann/json.hpp>
#include <orthanc/OrthancCPlugin.h>

namespace studyshare::plugin
{
  // Sends `body` as JSON with `status`, with headers that keep it out of caches.
  void AnswerJson(OrthancPluginRestOutput* output, int status, const nlohmann::json& body);
}
