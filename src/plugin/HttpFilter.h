// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <orthanc/OrthancCPlugin.h>

namespace studyshare::plugin
{
  // The incoming-request filter Orthanc calls before routing any HTTP
  // request: 1 lets it through, 0 answers 403. Never throws.
  int32_t FilterIncomingRequest(OrthancPluginHttpMethod method, const char* uri, const char* ip,
                                uint32_t headersCount, const char* const* headersKeys,
                                const char* const* headersValues, uint32_t getArgumentsCount,
                                const char* const* getArgumentsKeys, const char* const* getArgumentsValues);
}
