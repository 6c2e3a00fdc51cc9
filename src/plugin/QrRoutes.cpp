// SPDX-License-Identifier: GPL-3.0-or-later
#include "QrRoutes.h"

#include "QrSvg.h"
#include "StaffGetRoute.h"

namespace studyshare::plugin
{
  namespace
  {
    OrthancPluginErrorCode OnShareQr(OrthancPluginRestOutput* output, const char* url,
                                     const OrthancPluginHttpRequest* request)
    {
      return AnswerStaffGet(
        output, url, request,
        [&](const auto& user)
        {
          PluginRuntime& runtime = PluginRuntime::Get();
          OrthancPluginContext* context = runtime.Orthanc().Context();
          ApiCaller caller;
          caller.user = user;
          // The share API decides visibility (a sharer sees only its own shares)
          // and rebuilds the link exactly as it was given at creation.
          const std::string id = request->groupsCount > 0 && request->groups[0] ? request->groups[0] : "";
          const ApiResponse share = runtime.Shares().Get(id, caller);
          if (share.status != 200 || !share.body.contains("Url") || !share.body["Url"].is_string())
          {
            return AnswerJson(output, share.status == 200 ? 500 : share.status, share.body);
          }
          // The short link by default: a QR code a phone reads at a glance.
          const char* link = share.body.contains("ShortUrl") && share.body["ShortUrl"].is_string() ? "ShortUrl" : "Url";
          const std::string svg = RenderQrSvg(share.body[link].get<std::string>());
          // The code carries a live link: never cached, never framed elsewhere.
          OrthancPluginSetHttpHeader(context, output, "Cache-Control", "no-store");
          OrthancPluginSetHttpHeader(context, output, "X-Content-Type-Options", "nosniff");
          OrthancPluginSetHttpHeader(context, output, "Content-Security-Policy",
                                     "default-src 'none'; style-src 'unsafe-inline'");
          OrthancPluginAnswerBuffer(context, output, svg.data(), static_cast<uint32_t>(svg.size()), "image/svg+xml");
        });
    }
  }

  void RegisterQrRoutes(OrthancPluginContext* context)
  {
    OrthancPluginRegisterRestCallbackNoLock(context, "/studyshare/shares/([^/]+)/qr.svg", OnShareQr);
  }
}
