// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ServerMessage.h"
#include "ServerOptions.h"

#include <memory>
#include <string>

namespace studyshare::http
{
  // The evented HTTP/1.1 front of studyshare-service (Boost.Beast): a few io
  // threads serve every connection; the handler runs on a bounded worker
  // pool. Connections beyond the maximum get 503; each connection is held
  // to the size and time limits of ConnectionLimits.
  class HttpServer
  {
  public:
    HttpServer(const ServerOptions& options, RequestHandler handler);
    ~HttpServer();

    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    // Binds and listens; false with a reason when that fails.
    bool Listen(std::string& error);

    // Serves until Stop(); false if an io thread failed.
    bool Run();

    // From any thread: no new connections; idle ones close, requests in
    // progress are answered (up to ServerOptions.stopGrace), then Run returns.
    void Stop();

  private:
    struct State;
    std::unique_ptr<State> state_;
  };
}
