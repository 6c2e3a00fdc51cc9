// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace studyshare::http
{
  using HeaderPairs = std::vector<std::pair<std::string, std::string>>;

  // One complete request as the routes see it: no Boost type crosses into
  // the route logic, so it stays testable and the front replaceable.
  struct ServerRequest
  {
    std::string method;   // as sent: "GET", "POST", ...
    std::string path;     // percent-decoded, without the query string
    HeaderPairs headers;  // in the order received, names as sent
    std::string body;
    std::string remoteAddress;  // the TCP peer

    // The first header of that name (case-insensitive), "" when absent.
    std::string Header(std::string_view name) const;
  };

  struct ServerResponse
  {
    int status = 200;
    std::string contentType;
    std::string body;
    HeaderPairs headers;  // besides Content-Type, Content-Length and Connection
  };

  // Runs on a worker thread, may block (store, PostgreSQL); must not throw
  // (the front still turns an escaping exception into a JSON 500).
  using RequestHandler = std::function<ServerResponse(const ServerRequest&)>;

  // The service's error answer: {"error", "message", "detail"} as JSON.
  ServerResponse JsonError(int status, const std::string& error, const std::string& message);

  // "%41" → "A"; malformed escapes are kept as they are (as cpp-httplib did).
  std::string DecodePath(std::string_view path);
}
