// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "HttpRequest.h"
#include "RequestTarget.h"

#include <string>

namespace studyshare
{
  // One question the gate cannot answer alone in remote mode: does this
  // token let this request read this study (or, at level "system", this
  // route without patient data)?
  struct RemoteQuestion
  {
    std::string token;
    HttpMethod method = HttpMethod::Get;
    std::string level = "study";  // "study" or "system"
    std::string orthancId;
    std::string dicomUid;  // set when the request named the study by its UID
    std::string uri;
    RouteAccess access = RouteAccess::Read;
    std::string clientAddress;  // the client after TrustedProxies, for the service's audit and limits
  };

  enum class RemoteVerdict
  {
    Granted,
    Denied,
    Unavailable  // down, slow past the timeout, or nonsense: the gate refuses (rule 5)
  };

  struct RemoteAnswer
  {
    RemoteVerdict verdict = RemoteVerdict::Unavailable;
    std::string detail;  // the cause, for the log; never the token
  };

  class IRemoteAuthority
  {
  public:
    virtual ~IRemoteAuthority() = default;
    IRemoteAuthority() = default;
    IRemoteAuthority(const IRemoteAuthority&) = delete;
    IRemoteAuthority& operator=(const IRemoteAuthority&) = delete;

    virtual RemoteAnswer Ask(const RemoteQuestion& question) = 0;
  };
}
