// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <orthanc/OrthancCPlugin.h>

#include <string>

namespace studyshare::plugin
{
  // The incoming-request filter Orthanc calls before routing any HTTP
  // request: 1 lets it through, 0 answers 403. Never throws.
  int32_t FilterIncomingRequest(OrthancPluginHttpMethod method, const char* uri, const char* ip, uint32_t headersCount,
                                const char* const* headersKeys, const char* const* headersValues,
                                uint32_t getArgumentsCount, const char* const* getArgumentsKeys,
                                const char* const* getArgumentsValues);

  // The client address of the request this HTTP thread is serving. Orthanc
  // 1.10 gives REST callbacks no address, but it runs the filter and then the
  // callback of one request on the same server thread, so the filter leaves it here.
  const std::string& CurrentClientAddress();
}
