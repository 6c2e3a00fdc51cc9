// SPDX-License-Identifier: GPL-3.0-or-later
#include "LetterRoutes.h"

#include "StaffGetRoute.h"

namespace studyshare::plugin
{
  namespace
  {
    OrthancPluginErrorCode OnLetterLogo(OrthancPluginRestOutput* output, const char* url,
                                        const OrthancPluginHttpRequest* request)
    {
      return AnswerStaffGet(
        output, url, request,
        [&](const auto&)
        {
          PluginRuntime& runtime = PluginRuntime::Get();
          OrthancPluginContext* context = runtime.Orthanc().Context();
          const std::string& png = runtime.Config().letter.logoPng;
          if (png.empty())
          {
            return AnswerJson(output, 404,
                              {{"Error", "not-found"},
                               {"Message", "no logo is configured for access letters (StudyShare.Letter.LogoFile)"}});
          }
          OrthancPluginSetHttpHeader(context, output, "Cache-Control", "no-cache");
          OrthancPluginSetHttpHeader(context, output, "X-Content-Type-Options", "nosniff");
          OrthancPluginAnswerBuffer(context, output, png.data(), static_cast<uint32_t>(png.size()), "image/png");
        });
    }
  }

  void RegisterLetterRoutes(OrthancPluginContext* context)
  {
    OrthancPluginRegisterRestCallbackNoLock(context, "/studyshare/letter/logo", OnLetterLogo);
  }
}
