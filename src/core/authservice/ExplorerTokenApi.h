// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ApiResponse.h"
#include "AuthTokenService.h"
#include "TokenServiceTransport.h"

#include <functional>

namespace studyshare
{
  // The authorization plugin's routes that Orthanc Explorer 2 calls
  // (PUT /auth/tokens/{type}, POST /auth/tokens/decode), in their PascalCase,
  // answered by the token service: in-process in local mode, over HTTP in
  // remote mode. Either way the service's kebab-case answer is translated.
  class ExplorerTokenApi
  {
  public:
    ExplorerTokenApi(AuthTokenService* local, ITokenServiceTransport* remote, std::function<int64_t()> clock);

    ApiResponse Create(const std::string& pathType, const std::string& body, const AuthTokenService::Caller& caller);
    ApiResponse Decode(const std::string& body);

  private:
    struct ServiceCall
    {
      bool answered = false;  // false: `response` is already the error for Orthanc Explorer 2
      ApiResponse response;
    };

    ServiceCall Call(const std::string& method, const std::string& path, const std::string& body,
                     const std::function<ApiResponse()>& local);

    AuthTokenService* local_;
    ITokenServiceTransport* remote_;
    std::function<int64_t()> clock_;
  };
}
