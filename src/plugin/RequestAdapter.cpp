// SPDX-License-Identifier: GPL-3.0-or-later
#include "RequestAdapter.h"

namespace studyshare::plugin
{
  HttpMethod FromOrthancMethod(OrthancPluginHttpMethod method)
  {
    switch (method)
    {
      case OrthancPluginHttpMethod_Get:
        return HttpMethod::Get;
      case OrthancPluginHttpMethod_Post:
        return HttpMethod::Post;
      case OrthancPluginHttpMethod_Put:
        return HttpMethod::Put;
      case OrthancPluginHttpMethod_Delete:
        return HttpMethod::Delete;
      default:
        return HttpMethod::Other;
    }
  }

  HttpPairs ToPairs(uint32_t count, const char* const* keys, const char* const* values)
  {
    HttpPairs pairs;
    pairs.reserve(count);
    for (uint32_t i = 0; i < count; i++)
    {
      pairs.emplace_back(keys[i] ? keys[i] : "", values[i] ? values[i] : "");
    }
    return pairs;
  }

  HttpRequest FromRestRequest(const char* url, const OrthancPluginHttpRequest* request)
  {
    HttpRequest converted;
    converted.method = FromOrthancMethod(request->method);
    converted.uri = url ? url : "";
    converted.headers = ToPairs(request->headersCount, request->headersKeys, request->headersValues);
    converted.arguments = ToPairs(request->getCount, request->getKeys, request->getValues);
    return converted;
  }
}
