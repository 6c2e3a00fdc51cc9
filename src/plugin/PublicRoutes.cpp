// SPDX-License-Identifier: GPL-3.0-or-later
#include "PublicRoutes.h"

#include "CallbackGuard.h"
#include "HttpFilter.h"
#include "RequestAdapter.h"
#include "WebPages.h"

namespace studyshare::plugin
{
  namespace
  {
    OrthancPluginErrorCode OnOpen(OrthancPluginRestOutput* output, const char* url,
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
          RecipientContext context;
          context.clientAddress = CurrentClientAddress();
          context.userAgent = converted.UserAgent();
          const std::string body(static_cast<const char*>(request->body), request->bodySize);
          OrthancPluginSetHttpHeader(runtime.Orthanc().Context(), output, "Referrer-Policy", "no-referrer");
          const ApiResponse response = runtime.Opener().Open(body, context);
          AnswerJson(output, response.status, response.body);
        });
    }

    OrthancPluginErrorCode OnStaticFile(OrthancPluginRestOutput* output, const char*,
                                        const OrthancPluginHttpRequest* request)
    {
      return GuardRestCallback(output, [&] { AnswerEmbeddedFolder(output, request, "share"); });
    }

    // {PublicUrl}/s/#<key>: the recipients' page itself (its <base> is /share/);
    // the key stays in the fragment, which no server ever receives.
    OrthancPluginErrorCode OnShortLinkPage(OrthancPluginRestOutput* output, const char*,
                                           const OrthancPluginHttpRequest* request)
    {
      return GuardRestCallback(output,
                               [&]
                               {
                                 if (request->method != OrthancPluginHttpMethod_Get)
                                 {
                                   OrthancPluginSendMethodNotAllowed(PluginRuntime::Get().Orthanc().Context(), output,
                                                                     "GET");
                                   return;
                                 }
                                 AnswerEmbeddedFile(output, *FindEmbeddedFile("share/index.html"), "share");
                               });
    }
  }

  void RegisterPublicRoutes(OrthancPluginContext* context)
  {
    OrthancPluginRegisterRestCallbackNoLock(context, "/s/?", OnShortLinkPage);
    OrthancPluginRegisterRestCallbackNoLock(context, "/share/api/open", OnOpen);
    OrthancPluginRegisterRestCallbackNoLock(context, "/share", OnStaticFile);
    OrthancPluginRegisterRestCallbackNoLock(context, "/share/((?!api/).*)", OnStaticFile);
  }
}
