// SPDX-License-Identifier: GPL-3.0-or-later
#include "AdminRoutes.h"

#include "CallbackGuard.h"
#include "HttpFilter.h"
#include "RequestAdapter.h"

namespace studyshare::plugin
{
  namespace
  {
    std::optional<ApiCaller> IdentifyCaller(const HttpRequest& request)
    {
      auto user = PluginRuntime::Get().GetGate().AuthenticateStaff(request);
      if (!user)
      {
        return std::nullopt;
      }
      ApiCaller caller;
      caller.user = *user;
      caller.clientAddress = CurrentClientAddress();
      caller.userAgent = request.UserAgent();
      return caller;
    }

    void Send(OrthancPluginRestOutput* output, const ApiResponse& response)
    {
      AnswerJson(output, response.status, response.body);
    }

    void Unauthorized(OrthancPluginRestOutput* output)
    {
      AnswerJson(output, 401, {{"Error", "unauthorized"}, {"Message", "staff credentials are required"}});
    }

    void MethodNotAllowed(OrthancPluginRestOutput* output, const char* allowed)
    {
      OrthancPluginSendMethodNotAllowed(PluginRuntime::Get().Orthanc().Context(), output, allowed);
    }

    std::string ReadBody(const OrthancPluginHttpRequest* request)
    {
      return std::string(static_cast<const char*>(request->body), request->bodySize);
    }

    // Runs `handler(converted request, caller, share id)` for an authenticated
    // staff caller; anyone else gets 401.
    template <typename Handler>
    OrthancPluginErrorCode WithStaffCaller(OrthancPluginRestOutput* output, const char* url,
                                           const OrthancPluginHttpRequest* request, Handler&& handler)
    {
      return GuardRestCallback(output, [&] {
        const HttpRequest converted = FromRestRequest(url, request);
        auto caller = IdentifyCaller(converted);
        if (!caller)
        {
          return Unauthorized(output);
        }
        const std::string id = request->groupsCount > 0 ? request->groups[0] : "";
        handler(converted, *caller, id);
      });
    }

    OrthancPluginErrorCode OnShares(OrthancPluginRestOutput* output, const char* url,
                                    const OrthancPluginHttpRequest* request)
    {
      return WithStaffCaller(output, url, request, [&](const HttpRequest& converted, const ApiCaller& caller,
                                                       const std::string&) {
        ShareApi& api = PluginRuntime::Get().Shares();
        switch (converted.method)
        {
          case HttpMethod::Get: return Send(output, api.List(converted.arguments, caller));
          case HttpMethod::Post: return Send(output, api.Create(ReadBody(request), caller));
          default: return MethodNotAllowed(output, "GET,POST");
        }
      });
    }

    OrthancPluginErrorCode OnShare(OrthancPluginRestOutput* output, const char* url,
                                   const OrthancPluginHttpRequest* request)
    {
      return WithStaffCaller(output, url, request, [&](const HttpRequest& converted, const ApiCaller& caller,
                                                       const std::string& id) {
        ShareApi& api = PluginRuntime::Get().Shares();
        switch (converted.method)
        {
          case HttpMethod::Get: return Send(output, api.Get(id, caller));
          case HttpMethod::Delete: return Send(output, api.Revoke(id, caller));
          default: return MethodNotAllowed(output, "GET,DELETE");
        }
      });
    }

    OrthancPluginErrorCode OnShareAudit(OrthancPluginRestOutput* output, const char* url,
                                        const OrthancPluginHttpRequest* request)
    {
      return WithStaffCaller(output, url, request, [&](const HttpRequest& converted, const ApiCaller& caller,
                                                       const std::string& id) {
        if (converted.method != HttpMethod::Get)
        {
          return MethodNotAllowed(output, "GET");
        }
        Send(output, PluginRuntime::Get().Shares().Audit(id, caller));
      });
    }

    OrthancPluginErrorCode OnMetrics(OrthancPluginRestOutput* output, const char* url,
                                     const OrthancPluginHttpRequest* request)
    {
      return GuardRestCallback(output, [&] {
        if (request->method != OrthancPluginHttpMethod_Get)
        {
          return MethodNotAllowed(output, "GET");
        }
        (void)url;
        PluginRuntime& runtime = PluginRuntime::Get();
        AnswerJson(output, 200, {{"Decisions", runtime.GetGate().GetCounters().ToJson()},
                                 {"ResolverCacheEntries", runtime.Resolver().GetSize()}});
      });
    }
  }

  void RegisterAdminRoutes(OrthancPluginContext* context)
  {
    OrthancPluginRegisterRestCallbackNoLock(context, "/studyshare/shares", OnShares);
    OrthancPluginRegisterRestCallbackNoLock(context, "/studyshare/shares/([^/]+)", OnShare);
    OrthancPluginRegisterRestCallbackNoLock(context, "/studyshare/shares/([^/]+)/audit", OnShareAudit);
    OrthancPluginRegisterRestCallbackNoLock(context, "/studyshare/metrics", OnMetrics);
  }
}
