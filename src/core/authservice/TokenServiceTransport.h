// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>

namespace studyshare
{
  struct TransportReply
  {
    bool reached = false;  // false: no HTTP answer (refused, timed out, broken)
    long status = 0;
    std::string body;
    std::string error;  // why it was not reached; never a credential
  };

  // How the plugin talks to a token service: one JSON request, one answer.
  class ITokenServiceTransport
  {
  public:
    virtual ~ITokenServiceTransport() = default;
    ITokenServiceTransport() = default;
    ITokenServiceTransport(const ITokenServiceTransport&) = delete;
    ITokenServiceTransport& operator=(const ITokenServiceTransport&) = delete;

    // `path` starts with '/' and is appended to the service's base URL.
    virtual TransportReply Send(const std::string& method, const std::string& path, const std::string& jsonBody) = 0;
  };

  struct TokenServiceEndpoint
  {
    std::string baseUrl;  // e.g. http://127.0.0.1:8000, no trailing '/'
    std::string username;
    std::string password;
    long timeoutMilliseconds = 2000;
  };

  // libcurl, one reused handle per thread (keep-alive to the service), a hard
  // timeout on the whole exchange, and HTTP Basic when credentials are set.
  class CurlTokenServiceTransport : public ITokenServiceTransport
  {
  public:
    explicit CurlTokenServiceTransport(TokenServiceEndpoint endpoint);

    TransportReply Send(const std::string& method, const std::string& path, const std::string& jsonBody) override;

  private:
    const TokenServiceEndpoint endpoint_;
  };
}
