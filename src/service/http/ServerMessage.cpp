// SPDX-License-Identifier: GPL-3.0-or-later
#include "ServerMessage.h"

#include <nlohmann/json.hpp>

#include <strings.h>

namespace studyshare::http
{
  namespace
  {
    int HexValue(char c)
    {
      if (c >= '0' && c <= '9')
      {
        return c - '0';
      }
      if (c >= 'a' && c <= 'f')
      {
        return c - 'a' + 10;
      }
      if (c >= 'A' && c <= 'F')
      {
        return c - 'A' + 10;
      }
      return -1;
    }
  }

  std::string ServerRequest::Header(std::string_view name) const
  {
    for (const auto& [key, value] : headers)
    {
      if (key.size() == name.size() && strncasecmp(key.data(), name.data(), name.size()) == 0)
      {
        return value;
      }
    }
    return "";
  }

  ServerResponse JsonError(int status, const std::string& error, const std::string& message)
  {
    const nlohmann::json body = {{"error", error}, {"message", message}, {"detail", message}};
    return {status, "application/json", body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), {}};
  }

  std::string DecodePath(std::string_view path)
  {
    std::string decoded;
    decoded.reserve(path.size());
    for (size_t i = 0; i < path.size(); ++i)
    {
      if (path[i] == '%' && i + 2 < path.size())
      {
        const int high = HexValue(path[i + 1]);
        const int low = HexValue(path[i + 2]);
        if (high >= 0 && low >= 0)
        {
          decoded.push_back(static_cast<char>(high * 16 + low));
          i += 2;
          continue;
        }
      }
      decoded.push_back(path[i]);
    }
    return decoded;
  }
}
