// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

namespace studyshare::http
{
  // What one connection may cost: bytes per request, time per request.
  struct ConnectionLimits
  {
    size_t maxHeaderBytes = 16 * 1024;  // request line and headers together; beyond: 431
    size_t maxUriBytes = 8192;          // the request target; beyond: 414 (cpp-httplib's limit)
    size_t maxBodyBytes = 1 << 20;      // beyond: 413
    // From a request's first byte to its last, and for writing an answer:
    // a client that trickles (slowloris) is closed when it runs out.
    std::chrono::milliseconds readTimeout{5000};
    // A keep-alive connection with no request in progress is closed then.
    std::chrono::milliseconds idleTimeout{30000};
  };

  struct ServerOptions
  {
    std::string bind = "127.0.0.1";
    uint16_t port = 8000;
    size_t ioThreads = 2;           // run the event loop: sockets, parsing, timers; never block
    size_t workerThreads = 16;      // run the request handler, which may block
    size_t maxConnections = 10000;  // one more is answered 503 and closed
    ConnectionLimits limits;
    // How long a stop waits for requests in progress before it cuts them.
    std::chrono::milliseconds stopGrace{10000};
  };
}
