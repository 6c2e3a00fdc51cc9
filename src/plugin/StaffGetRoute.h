// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "CallbackGuard.h"
#include "RequestAdapter.h"

namespace studyshare::plugin
{
  // The glue every staff-only GET route shares: GET only, staff credentials
  // (401 without), then the handler with the signed-in user.
  template <typename Handler>
  OrthancPluginErrorCode AnswerStaffGet(OrthancPluginRestOutput* output, const char* url,
                                        const OrthancPluginHttpRequest* request, Handler&& handler) noexcept
  {
    return GuardRestCallback(
      output,
      [&]
      {
        PluginRuntime& runtime = PluginRuntime::Get();
        if (request->method != OrthancPluginHttpMethod_Get)
        {
          return OrthancPluginSendMethodNotAllowed(runtime.Orthanc().Context(), output, "GET");
        }
        const auto user = runtime.GetGate().AuthenticateStaff(FromRestRequest(url, request));
        if (!user)
        {
          return AnswerJson(output, 401, {{"Error", "unauthorized"}, {"Message", "staff credentials are required"}});
        }
        handler(*user);
      });
  }
}
