// SPDX-License-Identifier: GPL-3.0-or-later
#include "PublicRoutes.h"

#include "CallbackGuard.h"
#include "EmbeddedFiles.h"
#include "HttpFilter.h"
#include "RequestAdapter.h"

#include <cstring>

namespace studyshare::plugin
{
  namespace
  {
    const char kContentSecurityPolicy[] =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; connect-src 'self'; "
      "font-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

    // Orthanc routes "/share" and "/share/" alike (it drops trailing slashes),
    // so relative links in the page could resolve against "/". Pages get a
    // <base> at the public path instead, which also holds behind a proxy
    // that serves Orthanc under a sub-path.
    std::string WithBase(const EmbeddedFile& file, const std::string& publicUrl)
    {
      std::string html(reinterpret_cast<const char*>(file.data), file.size);
      const size_t scheme = publicUrl.find("://");
      const size_t pathStart = scheme == std::string::npos ? std::string::npos : publicUrl.find('/', scheme + 3);
      const std::string path = pathStart == std::string::npos ? "" : publicUrl.substr(pathStart);
      const size_t head = html.find("<head>");
      if (head != std::string::npos)
      {
        html.insert(head + 6, "<base href=\"" + path + "/share/\">");
      }
      return html;
    }

    void SetPageHeaders(OrthancPluginContext* context, OrthancPluginRestOutput* output, bool isPage)
    {
      OrthancPluginSetHttpHeader(context, output, "Content-Security-Policy", kContentSecurityPolicy);
      OrthancPluginSetHttpHeader(context, output, "Referrer-Policy", "no-referrer");
      OrthancPluginSetHttpHeader(context, output, "X-Content-Type-Options", "nosniff");
      OrthancPluginSetHttpHeader(context, output, "X-Frame-Options", "DENY");
      OrthancPluginSetHttpHeader(context, output, "Cache-Control", isPage ? "no-store" : "no-cache");
    }

    OrthancPluginErrorCode OnOpen(OrthancPluginRestOutput* output, const char* url,
                                  const OrthancPluginHttpRequest* request)
    {
      return GuardRestCallback(output, [&] {
        PluginRuntime& runtime = PluginRuntime::Get();
        if (request->method != OrthancPluginHttpMethod_Post)
        {
          return OrthancPluginSendMethodNotAllowed(runtime.Orthanc().Context(), output, "POST");
        }
        const HttpRequest converted = FromRestRequest(url, request);
        RecipientContext context;
        context.clientAddress = CurrentClientAddress();
        const auto agents = converted.HeaderValues("user-agent");
        context.userAgent = agents.empty() ? "" : agents.front();
        const std::string body(static_cast<const char*>(request->body), request->bodySize);
        OrthancPluginSetHttpHeader(runtime.Orthanc().Context(), output, "Referrer-Policy", "no-referrer");
        const ApiResponse response = runtime.Opener().Open(body, context);
        AnswerJson(output, response.status, response.body);
      });
    }

    OrthancPluginErrorCode OnStaticFile(OrthancPluginRestOutput* output, const char*,
                                        const OrthancPluginHttpRequest* request)
    {
      return GuardRestCallback(output, [&] {
        OrthancPluginContext* context = PluginRuntime::Get().Orthanc().Context();
        if (request->method != OrthancPluginHttpMethod_Get)
        {
          return OrthancPluginSendMethodNotAllowed(context, output, "GET");
        }
        std::string path = request->groupsCount > 0 ? request->groups[0] : "";
        if (path.empty())
        {
          path = "index.html";
        }
        for (const EmbeddedFile& file : GetEmbeddedFiles())
        {
          if (path == file.path)
          {
            const bool isPage = std::strncmp(file.mimeType, "text/html", 9) == 0;
            SetPageHeaders(context, output, isPage);
            if (isPage)
            {
              const std::string html = WithBase(file, PluginRuntime::Get().Config().publicUrl);
              OrthancPluginAnswerBuffer(context, output, html.data(), static_cast<uint32_t>(html.size()), file.mimeType);
            }
            else
            {
              OrthancPluginAnswerBuffer(context, output, file.data, static_cast<uint32_t>(file.size), file.mimeType);
            }
            return;
          }
        }
        OrthancPluginSendHttpStatusCode(context, output, 404);
      });
    }
  }

  void RegisterPublicRoutes(OrthancPluginContext* context)
  {
    OrthancPluginRegisterRestCallbackNoLock(context, "/share/api/open", OnOpen);
    OrthancPluginRegisterRestCallbackNoLock(context, "/share", OnStaticFile);
    OrthancPluginRegisterRestCallbackNoLock(context, "/share/((?!api/).*)", OnStaticFile);
  }
}
