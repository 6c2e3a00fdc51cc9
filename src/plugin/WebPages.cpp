// SPDX-License-Identifier: GPL-3.0-or-later
#include "WebPages.h"

#include "PluginRuntime.h"

#include <cstring>

namespace studyshare::plugin
{
  namespace
  {
    const char kContentSecurityPolicy[] =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; connect-src 'self'; "
      "font-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";
  }

  void AnswerEmbeddedFile(OrthancPluginRestOutput* output, const EmbeddedFile& file, const std::string& baseFolder)
  {
    OrthancPluginContext* context = PluginRuntime::Get().Orthanc().Context();
    const bool isPage = std::strncmp(file.mimeType, "text/html", 9) == 0;
    OrthancPluginSetHttpHeader(context, output, "Content-Security-Policy", kContentSecurityPolicy);
    OrthancPluginSetHttpHeader(context, output, "Referrer-Policy", "no-referrer");
    OrthancPluginSetHttpHeader(context, output, "X-Content-Type-Options", "nosniff");
    OrthancPluginSetHttpHeader(context, output, "X-Frame-Options", "DENY");
    OrthancPluginSetHttpHeader(context, output, "Cache-Control", isPage ? "no-store" : "no-cache");
    if (!isPage)
    {
      OrthancPluginAnswerBuffer(context, output, file.data, static_cast<uint32_t>(file.size), file.mimeType);
      return;
    }
    std::string html(reinterpret_cast<const char*>(file.data), file.size);
    const size_t head = html.find("<head>");
    if (head != std::string::npos)
    {
      const std::string base = PluginRuntime::Get().Config().publicPath + "/" + baseFolder + "/";
      html.insert(head + 6, "<base href=\"" + base + "\">");
    }
    OrthancPluginAnswerBuffer(context, output, html.data(), static_cast<uint32_t>(html.size()), file.mimeType);
  }

  void AnswerEmbeddedFolder(OrthancPluginRestOutput* output, const OrthancPluginHttpRequest* request,
                            const std::string& folder, const std::string& baseFolder)
  {
    OrthancPluginContext* context = PluginRuntime::Get().Orthanc().Context();
    if (request->method != OrthancPluginHttpMethod_Get)
    {
      OrthancPluginSendMethodNotAllowed(context, output, "GET");
      return;
    }
    std::string path = request->groupsCount > 0 && request->groups[0] ? request->groups[0] : "";
    if (path.empty())
    {
      path = "index.html";
    }
    if (const EmbeddedFile* file = FindEmbeddedFile(folder + "/" + path))
    {
      AnswerEmbeddedFile(output, *file, baseFolder.empty() ? folder : baseFolder);
      return;
    }
    OrthancPluginSendHttpStatusCode(context, output, 404);
  }
}
