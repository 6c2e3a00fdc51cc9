// SPDX-License-Identifier: GPL-3.0-or-later
#include "InboxRoutes.h"

#include "CallbackGuard.h"
#include "HttpFilter.h"
#include "RequestAdapter.h"
#include "TextUtilities.h"

namespace studyshare::plugin
{
  namespace
  {
    // The session from "Authorization: Bearer" only: one header, no other place.
    std::string SessionToken(const HttpRequest& request)
    {
      const std::vector<std::string> values = request.HeaderValues("authorization");
      if (values.size() != 1 || IsBasicAuthorization(values[0]) ||
          !EqualsIgnoreCase(TrimView(values[0]).substr(0, 7), "Bearer "))
      {
        return "";
      }
      return StripBearer(values[0]);
    }

    std::string OneHeader(const HttpRequest& request, const char* name)
    {
      const std::vector<std::string> values = request.HeaderValues(name);
      return values.size() == 1 ? values[0] : std::string();
    }

    // The POST routes of an inbox share their glue: method, request, client; the receiver decides.
    template <typename Action>
    OrthancPluginErrorCode AnswerInboxPost(OrthancPluginRestOutput* output, const char* url,
                                           const OrthancPluginHttpRequest* request, const Action& action)
    {
      return GuardRestCallback(
        output,
        [&]
        {
          PluginRuntime& runtime = PluginRuntime::Get();
          if (request->method != OrthancPluginHttpMethod_Post)
          {
            return OrthancPluginSendMethodNotAllowed(runtime.Orthanc().Context(), output, "POST");
          }
          const HttpRequest converted = FromRestRequest(url, request);
          InboxUploadContext context;
          context.clientAddress = CurrentClientAddress();
          context.userAgent = converted.UserAgent();
          const std::string_view body(static_cast<const char*>(request->body), request->bodySize);
          const ApiResponse response = action(runtime.Inbox(), converted, body, context);
          AnswerJson(output, response.status, response.body);
        });
    }

    OrthancPluginErrorCode OnFiles(OrthancPluginRestOutput* output, const char* url,
                                   const OrthancPluginHttpRequest* request)
    {
      return AnswerInboxPost(
        output, url, request,
        [](auto& inbox, const HttpRequest& converted, std::string_view body, InboxUploadContext& context)
        {
          context.contentType = OneHeader(converted, "content-type");
          context.fileName = OneHeader(converted, "x-file-name");
          return inbox.Upload(SessionToken(converted), body, context);
        });
    }

    OrthancPluginErrorCode OnComplete(OrthancPluginRestOutput* output, const char* url,
                                      const OrthancPluginHttpRequest* request)
    {
      return AnswerInboxPost(
        output, url, request,
        [](auto& inbox, const HttpRequest& converted, std::string_view body, InboxUploadContext& context)
        { return inbox.Complete(SessionToken(converted), body, context); });
    }

    OrthancPluginErrorCode OnSummary(OrthancPluginRestOutput* output, const char* url,
                                     const OrthancPluginHttpRequest* request)
    {
      return GuardRestCallback(output,
                               [&]
                               {
                                 PluginRuntime& runtime = PluginRuntime::Get();
                                 if (request->method != OrthancPluginHttpMethod_Get)
                                 {
                                   return OrthancPluginSendMethodNotAllowed(runtime.Orthanc().Context(), output, "GET");
                                 }
                                 const HttpRequest converted = FromRestRequest(url, request);
                                 const ApiResponse response = runtime.Inbox().Summary(SessionToken(converted));
                                 AnswerJson(output, response.status, response.body);
                               });
    }
  }

  void RegisterInboxRoutes(OrthancPluginContext* context)
  {
    OrthancPluginRegisterRestCallbackNoLock(context, "/share/api/inbox/files", OnFiles);
    OrthancPluginRegisterRestCallbackNoLock(context, "/share/api/inbox/summary", OnSummary);
    OrthancPluginRegisterRestCallbackNoLock(context, "/share/api/inbox/complete", OnComplete);
  }
}
