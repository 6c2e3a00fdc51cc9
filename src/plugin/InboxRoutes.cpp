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

    OrthancPluginErrorCode OnFiles(OrthancPluginRestOutput* output, const char* url,
                                   const OrthancPluginHttpRequest* request)
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
          context.contentType = OneHeader(converted, "content-type");
          context.fileName = OneHeader(converted, "x-file-name");
          const std::string_view body(static_cast<const char*>(request->body), request->bodySize);
          const ApiResponse response = runtime.Inbox().Upload(SessionToken(converted), body, context);
          AnswerJson(output, response.status, response.body);
        });
    }

    OrthancPluginErrorCode OnComplete(OrthancPluginRestOutput* output, const char* url,
                                      const OrthancPluginHttpRequest* request)
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
          const ApiResponse response = runtime.Inbox().Complete(SessionToken(converted), body, context);
          AnswerJson(output, response.status, response.body);
        });
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
