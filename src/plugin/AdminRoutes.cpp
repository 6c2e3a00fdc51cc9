// SPDX-License-Identifier: GPL-3.0-or-later
#include "AdminRoutes.h"

#include "MetricsRoute.h"
#include "StaffCallback.h"

namespace studyshare::plugin
{
  namespace
  {
    OrthancPluginErrorCode OnShares(OrthancPluginRestOutput* output, const char* url,
                                    const OrthancPluginHttpRequest* request)
    {
      return WithStaffCaller(output, url, request,
                             [&](const HttpRequest& converted, const ApiCaller& caller, const std::string&)
                             {
                               ShareApi& api = PluginRuntime::Get().Shares();
                               switch (converted.method)
                               {
                                 case HttpMethod::Get:
                                   return Send(output, api.List(converted.arguments, caller));
                                 case HttpMethod::Post:
                                   return Send(output, api.Create(ReadBody(request), caller));
                                 default:
                                   return MethodNotAllowed(output, "GET,POST");
                               }
                             });
    }

    OrthancPluginErrorCode OnShare(OrthancPluginRestOutput* output, const char* url,
                                   const OrthancPluginHttpRequest* request)
    {
      return WithStaffCaller(output, url, request,
                             [&](const HttpRequest& converted, const ApiCaller& caller, const std::string& id)
                             {
                               ShareApi& api = PluginRuntime::Get().Shares();
                               switch (converted.method)
                               {
                                 case HttpMethod::Get:
                                   return Send(output, api.Get(id, caller));
                                 case HttpMethod::Delete:
                                   return Send(output, api.Revoke(id, caller));
                                 default:
                                   return MethodNotAllowed(output, "GET,DELETE");
                               }
                             });
    }

    OrthancPluginErrorCode OnShareAudit(OrthancPluginRestOutput* output, const char* url,
                                        const OrthancPluginHttpRequest* request)
    {
      return WithStaffCaller(output, url, request,
                             [&](const HttpRequest& converted, const ApiCaller& caller, const std::string& id)
                             {
                               if (converted.method != HttpMethod::Get)
                               {
                                 return MethodNotAllowed(output, "GET");
                               }
                               Send(output, PluginRuntime::Get().Shares().Audit(id, caller));
                             });
    }

    // POST /studyshare/shares/{id}/<action>: a change to one share.
    template <ApiResponse (ShareApi::*Action)(const std::string&, const ApiCaller&)>
    OrthancPluginErrorCode OnShareAction(OrthancPluginRestOutput* output, const char* url,
                                         const OrthancPluginHttpRequest* request)
    {
      return WithStaffCaller(output, url, request,
                             [&](const HttpRequest& converted, const ApiCaller& caller, const std::string& id)
                             {
                               if (converted.method != HttpMethod::Post)
                               {
                                 return MethodNotAllowed(output, "POST");
                               }
                               Send(output, (PluginRuntime::Get().Shares().*Action)(id, caller));
                             });
    }

    // For load balancers, monitoring and the start-up guard
    // (deploy/studyshare-guard): public, and says nothing about shares.
    // Orthanc without this plugin answers 404 here, so a 200 with
    // "Gate": "active" proves the gate filters this Orthanc's requests.
    OrthancPluginErrorCode OnHealth(OrthancPluginRestOutput* output, const char* url,
                                    const OrthancPluginHttpRequest* request)
    {
      return GuardRestCallback(output,
                               [&]
                               {
                                 (void)url;
                                 if (request->method != OrthancPluginHttpMethod_Get)
                                 {
                                   return MethodNotAllowed(output, "GET");
                                 }
                                 const bool store = PluginRuntime::Get().StoreAnswers();
                                 AnswerJson(output, store ? 200 : 503,
                                            {{"Status", store ? "ok" : "unavailable"},
                                             {"Gate", "active"},
                                             {"Keys", "loaded"},
                                             {"Store", store ? "ok" : "unavailable"}});
                               });
    }
  }

  void RegisterAdminRoutes(OrthancPluginContext* context)
  {
    OrthancPluginRegisterRestCallbackNoLock(context, "/studyshare/shares", OnShares);
    OrthancPluginRegisterRestCallbackNoLock(context, "/studyshare/shares/([^/]+)", OnShare);
    OrthancPluginRegisterRestCallbackNoLock(context, "/studyshare/shares/([^/]+)/audit", OnShareAudit);
    OrthancPluginRegisterRestCallbackNoLock(context, "/studyshare/shares/([^/]+)/unlock",
                                            OnShareAction<&ShareApi::Unlock>);
    OrthancPluginRegisterRestCallbackNoLock(context, "/studyshare/shares/([^/]+)/access-code",
                                            OnShareAction<&ShareApi::ReplaceAccessCode>);
    RegisterMetricsRoute(context);
    OrthancPluginRegisterRestCallbackNoLock(context, "/studyshare/health", OnHealth);
  }
}
