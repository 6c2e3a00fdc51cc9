// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "HttpRequest.h"

#include <orthanc/OrthancCPlugin.h>

namespace studyshare::plugin
{
  HttpMethod FromOrthancMethod(OrthancPluginHttpMethod method);

  HttpPairs ToPairs(uint32_t count, const char* const* keys, const char* const* values);

  // A REST callback's request in the core's terms.
  HttpRequest FromRestRequest(const char* url, const OrthancPluginHttpRequest* request);
}
