// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "CallbackGuard.h"
#include "HttpFilter.h"
#include "PluginRuntime.h"
#include "RequestAdapter.h"
#include "RestAnswer.h"

#include <optional>
#include <string>

namespace studyshare::plugin
{
  // What every staff REST callback does first: find out which staff member
  // calls (the gate already let only staff through), answer 401 otherwise.
  inline std::optional<ApiCaller> IdentifyCaller(const HttpRequest& request)
  {
    auto user = PluginRuntime::Get().GetGate().AuthenticateStaff(request);
    if (!user)
    {
      return std::nullopt;
    }
    ApiCaller caller;
    caller.user = *user;
    caller.clientAddress = CurrentClientAddress();
    caller.userAgent = request.UserAgent();
    return caller;
  }

  inline void Send(OrthancPluginRestOutput* output, const ApiResponse& response)
  {
    AnswerJson(output, response.status, response.body);
  }

  inline void Unauthorized(OrthancPluginRestOutput* output)
  {
    AnswerJson(output, 401, {{"Error", "unauthorized"}, {"Message", "staff credentials are required"}});
  }

  inline void MethodNotAllowed(OrthancPluginRestOutput* output, const char* allowed)
  {
    OrthancPluginSendMethodNotAllowed(PluginRuntime::Get().Orthanc().Context(), output, allowed);
  }

  inline std::string ReadBody(const OrthancPluginHttpRequest* request)
  {
    return std::string(static_cast<const char*>(request->body), request->bodySize);
  }

  // Runs `handler(converted request, caller, share id)` for an authenticated
  // staff caller; anyone else gets 401.
  template <typename Handler>
  OrthancPluginErrorCode WithStaffCaller(OrthancPluginRestOutput* output, const char* url,
                                         const OrthancPluginHttpRequest* request, Handler&& handler)
  {
    return GuardRestCallback(output,
                             [&]
                             {
                               const HttpRequest converted = FromRestRequest(url, request);
                               auto caller = IdentifyCaller(converted);
                               if (!caller)
                               {
                                 return Unauthorized(output);
                               }
                               const std::string id = request->groupsCount > 0 ? request->groups[0] : "";
                               handler(converted, *caller, id);
                             });
  }
}
