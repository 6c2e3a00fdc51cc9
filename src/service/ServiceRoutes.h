// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "AuthTokenService.h"
#include "IShareStore.h"
#include "StaffDirectory.h"
#include "TrustedProxies.h"
#include "http/ServerMessage.h"

namespace studyshare
{
  // The HTTP face of the token service: the routes of the web-service
  // protocol, caller authentication (HTTP Basic), JSON errors for every
  // failure, and one log line per refused or failed call.
  class ServiceRoutes
  {
  public:
    ServiceRoutes(AuthTokenService& tokens, IShareStore& store, StaffDirectory& callers, StaffDirectory& staff,
                  bool anonymousCallers, const TrustedProxies& proxies);

    // Any request, answered: the route's answer, or a JSON 404. Runs on a
    // worker thread (store calls block); safe to call from several at once.
    http::ServerResponse Handle(const http::ServerRequest& request);

  private:
    using Handler = std::function<ApiResponse(const http::ServerRequest&, const AuthTokenService::Caller&)>;

    // The caller is authenticated first, and nothing the handler throws
    // escapes as anything but a JSON 500/503.
    http::ServerResponse Guarded(const http::ServerRequest& request, const Handler& handler);
    http::ServerResponse Health();

    AuthTokenService& tokens_;
    IShareStore& store_;
    StaffDirectory& callers_;
    StaffDirectory& staff_;
    const bool anonymousCallers_;
    const TrustedProxies& proxies_;  // StudyShare.TrustedProxies: who may name the caller's client
  };
}
