// SPDX-License-Identifier: GPL-3.0-or-later
#include "ApiKeyRoutes.h"

#include "StaffCallback.h"

namespace studyshare::plugin
{
  namespace
  {
    OrthancPluginErrorCode OnApiKeys(OrthancPluginRestOutput* output, const char* url,
                                     const OrthancPluginHttpRequest* request)
    {
      return WithStaffCaller(output, url, request,
                             [&](const HttpRequest& converted, const ApiCaller& caller, const std::string&)
                             {
                               ApiKeyApi& api = PluginRuntime::Get().ApiKeys();
                               switch (converted.method)
                               {
                                 case HttpMethod::Get:
                                   return Send(output, api.List(caller));
                                 case HttpMethod::Post:
                                   return Send(output, api.Create(ReadBody(request), caller));
                                 default:
                                   return MethodNotAllowed(output, "GET,POST");
                               }
                             });
    }

    OrthancPluginErrorCode OnApiKey(OrthancPluginRestOutput* output, const char* url,
                                    const OrthancPluginHttpRequest* request)
    {
      return WithStaffCaller(output, url, request,
                             [&](const HttpRequest& converted, const ApiCaller& caller, const std::string& id)
                             {
                               if (converted.method != HttpMethod::Delete)
                               {
                                 return MethodNotAllowed(output, "DELETE");
                               }
                               Send(output, PluginRuntime::Get().ApiKeys().Revoke(id, caller));
                             });
    }
  }

  void RegisterApiKeyRoutes(OrthancPluginContext* context)
  {
    OrthancPluginRegisterRestCallbackNoLock(context, "/studyshare/api-keys", OnApiKeys);
    OrthancPluginRegisterRestCallbackNoLock(context, "/studyshare/api-keys/([^/]+)", OnApiKey);
  }
}
