// SPDX-License-Identifier: GPL-3.0-or-later
#include "ExplorerTokenRoutes.h"

#include "ExplorerInboxLink.h"
#include "ShareRequest.h"
#include "StaffCallback.h"

namespace studyshare::plugin
{
  namespace
  {
    OrthancPluginErrorCode OnDecode(OrthancPluginRestOutput* output, const OrthancPluginHttpRequest* request)
    {
      return GuardRestCallback(output,
                               [&]
                               {
                                 if (request->method != OrthancPluginHttpMethod_Post)
                                 {
                                   return MethodNotAllowed(output, "POST");
                                 }
                                 Send(output, PluginRuntime::Get().ExplorerTokens().Decode(ReadBody(request)));
                               });
    }

    OrthancPluginErrorCode OnTokens(OrthancPluginRestOutput* output, const char* url,
                                    const OrthancPluginHttpRequest* request)
    {
      // One route for both: "decode" is also what the {type} pattern matches.
      if (request->groupsCount > 0 && std::string(request->groups[0]) == "decode")
      {
        return OnDecode(output, request);
      }
      return WithStaffCaller(
        output, url, request,
        [&](const HttpRequest& converted, const ApiCaller& caller, const std::string& type)
        {
          if (converted.method != HttpMethod::Put)
          {
            return MethodNotAllowed(output, "PUT");
          }
          PluginRuntime& runtime = PluginRuntime::Get();
          if (type == "inbox-link")
          {
            // An inbox lives in this server's store (the uploads land in this Orthanc), so it is
            // made by the staff API here in every mode, with that API's checks and audit.
            std::string inboxRequest;
            try
            {
              inboxRequest = ExplorerInboxRequest(ReadBody(request));
            }
            catch (const BadRequest& e)
            {
              return Send(output, {400, {{"Error", "bad-request"}, {"Message", e.what()}}});
            }
            return Send(output, ExplorerInboxAnswer(runtime.Shares().Create(inboxRequest, caller)));
          }
          Send(output, runtime.ExplorerTokens().Create(type, ReadBody(request),
                                                       {caller.user.name, caller.clientAddress, caller.userAgent}));
        });
    }
  }

  void RegisterExplorerTokenRoutes(OrthancPluginContext* context)
  {
    OrthancPluginRegisterRestCallbackNoLock(context, "/auth/tokens/([^/]+)", OnTokens);
  }
}
