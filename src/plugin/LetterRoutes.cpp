// SPDX-License-Identifier: GPL-3.0-or-later
#include "LetterRoutes.h"

#include "CallbackGuard.h"
#include "RequestAdapter.h"

namespace studyshare::plugin
{
  namespace
  {
    OrthancPluginErrorCode OnLetterLogo(OrthancPluginRestOutput* output, const char* url,
                                        const OrthancPluginHttpRequest* request)
    {
      return GuardRestCallback(
        output,
        [&]
        {
          PluginRuntime& runtime = PluginRuntime::Get();
          OrthancPluginContext* context = runtime.Orthanc().Context();
          if (request->method != OrthancPluginHttpMethod_Get)
          {
            return OrthancPluginSendMethodNotAllowed(context, output, "GET");
          }
          if (!runtime.GetGate().AuthenticateStaff(FromRestRequest(url, request)))
          {
            return AnswerJson(output, 401, {{"Error", "unauthorized"}, {"Message", "staff credentials are required"}});
          }
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
