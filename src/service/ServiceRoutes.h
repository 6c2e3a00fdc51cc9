// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "AuthTokenService.h"
#include "IShareStore.h"
#include "StaffDirectory.h"
#include "TrustedProxies.h"

namespace httplib
{
  class Server;
}

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

    void Register(httplib::Server& server);

  private:
    AuthTokenService& tokens_;
    IShareStore& store_;
    StaffDirectory& callers_;
    StaffDirectory& staff_;
    const bool anonymousCallers_;
    const TrustedProxies& proxies_;  // StudyShare.TrustedProxies: who may name the caller's client
  };
}
