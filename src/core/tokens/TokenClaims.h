// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <string>

namespace studyshare
{
  // Share tokens (the link) and session tokens (what a recipient gets after
  // opening a share) carry distinct `typ` headers and are never accepted for
  // each other (RFC 8725 §3.11).
  enum class TokenType
  {
    Share,
    Session
  };

  const char* ToTypHeader(TokenType type);

  struct TokenClaims
  {
    TokenType type = TokenType::Share;
    std::string id;         // jti: the share ID for share tokens, a random ID for sessions
    std::string shareId;    // sid: the share a session belongs to (sessions only)
    std::string audience;   // aud
    int64_t issuedAt = 0;   // iat
    int64_t notBefore = 0;  // nbf
    int64_t expiresAt = 0;  // exp, always present
  };
}
