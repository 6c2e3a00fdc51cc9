// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace studyshare
{
  enum class HttpMethod : unsigned
  {
    Get = 1,
    Head = 2,
    Post = 4,
    Put = 8,
    Delete = 16,
    Other = 32
  };

  const char* ToString(HttpMethod method);
  HttpMethod ParseHttpMethod(const std::string& name);

  using HttpPairs = std::vector<std::pair<std::string, std::string>>;

  // A query split on '&' and the first '=', not decoded, as Orthanc hands
  // GET arguments over (every item kept, empty ones included).
  HttpPairs SplitRawQuery(const std::string& query);

  // An Authorization value with the Basic scheme (any case), as opposed to a token.
  bool IsBasicAuthorization(std::string_view value);

  // A token as callers send it, trimmed, without its "Bearer " prefix.
  std::string StripBearer(std::string_view value);
  // The same, as a view into `value` (nothing copied: the gate's hot path).
  std::string_view BearerValue(std::string_view value);

  // A request as the host server hands it to the gate: the path exactly as the
  // server will route it, and headers / GET arguments in arrival order
  // (repeated keys kept).
  struct HttpRequest
  {
    HttpMethod method = HttpMethod::Get;
    std::string uri;
    std::string clientAddress;
    HttpPairs headers;
    HttpPairs arguments;

    // Every value of a header, compared case-insensitively by name.
    std::vector<std::string> HeaderValues(const std::string& name) const;

    // The first User-Agent, cut to a length fit for an audit line.
    std::string UserAgent() const;
  };
}
