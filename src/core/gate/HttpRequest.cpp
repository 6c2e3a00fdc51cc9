// SPDX-License-Identifier: GPL-3.0-or-later
#include "HttpRequest.h"

#include "TextUtilities.h"
#include "Utf8Text.h"

namespace studyshare
{
  const char* ToString(HttpMethod method)
  {
    switch (method)
    {
      case HttpMethod::Get:
        return "GET";
      case HttpMethod::Head:
        return "HEAD";
      case HttpMethod::Post:
        return "POST";
      case HttpMethod::Put:
        return "PUT";
      case HttpMethod::Delete:
        return "DELETE";
      case HttpMethod::Other:
        return "OTHER";
    }
    return "OTHER";
  }

  HttpPairs SplitRawQuery(const std::string& query)
  {
    HttpPairs pairs;
    size_t start = 0;
    while (start <= query.size())
    {
      size_t end = query.find('&', start);
      if (end == std::string::npos)
      {
        end = query.size();
      }
      const std::string item = query.substr(start, end - start);
      const size_t equal = item.find('=');
      pairs.emplace_back(item.substr(0, equal), equal == std::string::npos ? "" : item.substr(equal + 1));
      start = end + 1;
    }
    return pairs;
  }

  HttpMethod ParseHttpMethod(const std::string& name)
  {
    if (name == "GET")
      return HttpMethod::Get;
    if (name == "HEAD")
      return HttpMethod::Head;
    if (name == "POST")
      return HttpMethod::Post;
    if (name == "PUT")
      return HttpMethod::Put;
    if (name == "DELETE")
      return HttpMethod::Delete;
    return HttpMethod::Other;
  }

  std::string HttpRequest::UserAgent() const
  {
    const std::vector<std::string> agents = HeaderValues("user-agent");
    return agents.empty() ? "" : ToValidUtf8(agents.front(), 512);
  }

  std::vector<std::string> HttpRequest::HeaderValues(const std::string& name) const
  {
    std::vector<std::string> values;
    for (const auto& [key, value] : headers)
    {
      if (EqualsIgnoreCase(key, name))
      {
        values.push_back(value);
      }
    }
    return values;
  }

  bool IsBasicAuthorization(std::string_view value)
  {
    const std::string_view trimmed = TrimView(value);
    return trimmed.size() >= 6 && EqualsIgnoreCase(trimmed.substr(0, 6), "Basic ");
  }

  std::string_view BearerValue(std::string_view value)
  {
    const std::string_view trimmed = TrimView(value);
    if (trimmed.size() > 7 && EqualsIgnoreCase(trimmed.substr(0, 7), "Bearer "))
    {
      return TrimView(trimmed.substr(7));
    }
    return trimmed;
  }

  std::string StripBearer(std::string_view value)
  {
    return std::string(BearerValue(value));
  }
}
