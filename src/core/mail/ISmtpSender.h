// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace studyshare
{
  // The message could not be handed to the SMTP server; what() says why
  // (connection, TLS, authentication, refusal) and never holds a password.
  class SmtpError : public std::runtime_error
  {
  public:
    using std::runtime_error::runtime_error;
  };

  enum class StartTlsPolicy
  {
    Try,       // use STARTTLS when the server offers it
    Required,  // fail unless the connection is encrypted
    None       // never (only for a relay on the same machine)
  };

  struct SmtpSettings
  {
    std::string url;  // smtp://host[:port] or smtps://host[:port]; empty: e-mail disabled
    std::string fromAddress;
    std::string fromName;
    std::string username;
    std::string password;
    StartTlsPolicy startTls = StartTlsPolicy::Try;
    int64_t timeoutSeconds = 10;

    bool Configured() const { return !url.empty(); }
  };

  // Hands one finished RFC 5322 message to an SMTP server.
  class ISmtpSender
  {
  public:
    virtual ~ISmtpSender() = default;

    // Throws SmtpError.
    virtual void Send(const std::string& envelopeFrom, const std::vector<std::string>& envelopeTo,
                      const std::string& message) = 0;
  };
}
