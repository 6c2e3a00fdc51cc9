// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ApiResponse.h"
#include "AuthTokenService.h"
#include "IStudyCatalog.h"
#include "IStudyLabels.h"
#include "StaffDirectory.h"
#include "TokenServiceTransport.h"

#include <functional>

namespace studyshare
{
  // The authorization plugin's routes that Orthanc Explorer 2 calls
  // (PUT /auth/tokens/{type}, POST /auth/tokens/decode), in their PascalCase,
  // answered by the token service: in-process in local mode, over HTTP in
  // remote mode. Either way the service's kebab-case answer is translated.
  // A creation passes the staff API's checks first (ResolveSharedStudies on
  // this server's `catalog`, at most `maxStudies`), and the service is sent
  // the studies as the catalog names them.
  class ExplorerTokenApi
  {
  public:
    ExplorerTokenApi(AuthTokenService* local, ITokenServiceTransport* remote, IStudyCatalog& catalog, size_t maxStudies,
                     std::function<int64_t()> clock);

    // Sharers limited to labels may share only studies carrying one of them.
    void SetStaffLabels(const StaffDirectory* staff, IStudyLabels* labels)
    {
      staff_ = staff;
      studyLabels_ = labels;
    }

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
    IStudyCatalog& catalog_;
    size_t maxStudies_;
    std::function<int64_t()> clock_;
    const StaffDirectory* staff_ = nullptr;
    IStudyLabels* studyLabels_ = nullptr;
  };
}
