// SPDX-License-Identifier: GPL-3.0-or-later
#include "ExplorerTwoEntry.h"

#include "StaffCallback.h"

namespace studyshare::plugin
{
  namespace
  {
    // Orthanc Explorer 2 serves the same page at app/index.html, which this
    // plugin does not answer: reading it there cannot come back here.
    constexpr const char* kExplorerPage = "/ui/app/index.html";
    constexpr const char* kSignIn = "/studyshare/staff/?next=%2Fui%2Fapp%2F";

    OrthancPluginErrorCode OnEntry(OrthancPluginRestOutput* output, const char* url,
                                   const OrthancPluginHttpRequest* request)
    {
      return GuardRestCallback(
        output,
        [&]
        {
          OrthancPluginContext* context = PluginRuntime::Get().Orthanc().Context();
          if (request->method != OrthancPluginHttpMethod_Get)
          {
            return MethodNotAllowed(output, "GET");
          }
          // Never cached: the same address answers the page once signed in.
          OrthancPluginSetHttpHeader(context, output, "Cache-Control", "no-store");
          if (!IdentifyCaller(FromRestRequest(url, request)))
          {
            // 302, not the SDK's 301, which a browser keeps.
            OrthancPluginSetHttpHeader(context, output, "Location", kSignIn);
            return OrthancPluginSendHttpStatus(context, output, 302, nullptr, 0);
          }
          OrthancPluginMemoryBuffer page;
          if (OrthancPluginRestApiGetAfterPlugins(context, &page, kExplorerPage) != OrthancPluginErrorCode_Success)
          {
            return AnswerJson(output, 404, {{"Error", "not-found"}, {"Message", "Orthanc Explorer 2 is not loaded"}});
          }
          OrthancPluginAnswerBuffer(context, output, static_cast<const char*>(page.data), page.size, "text/html");
          OrthancPluginFreeMemoryBuffer(context, &page);
        });
    }
  }

  void RegisterExplorerTwoEntry(OrthancPluginContext* context)
  {
    // Orthanc routes "/ui/app/" as "/ui/app" (it drops the trailing slash).
    OrthancPluginRegisterRestCallbackNoLock(context, "/ui/app", OnEntry);
  }
}
