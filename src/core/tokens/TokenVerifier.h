// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "KeyRing.h"
#include "TokenClaims.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace studyshare
{
  enum class TokenStatus
  {
    Valid,
    TooLong,
    Malformed,
    UnsupportedHeader,
    UnknownKey,
    AlgorithmNotAllowed,
    BadSignature,
    WrongType,
    WrongIssuer,
    WrongAudience,
    MissingClaim,
    Expired,
    NotYetValid,
    LifetimeTooLong
  };

  const char* ToString(TokenStatus status);

  struct TokenCheck
  {
    TokenStatus status = TokenStatus::Malformed;
    TokenClaims claims;

    bool IsValid() const { return status == TokenStatus::Valid; }
  };

  struct TokenPolicy
  {
    std::string audience;
    int64_t leewaySeconds = 30;
    size_t maxTokenBytes = 4096;
    int64_t maxLifetimeSeconds = 0;  // 0: no cap (share tokens follow their share)
  };

  // Verification pinned up front (RFC 8725): the only algorithms are those of
  // the configured keys, `kid`, `typ`, `aud`, `iss`, `exp` and `jti` are
  // required, and every failure is a reason code; nothing here throws.
  class TokenVerifier
  {
  public:
    TokenVerifier(const KeyRing& keys, TokenPolicy policy) : keys_(keys), policy_(std::move(policy)) {}

    TokenCheck Verify(std::string_view token, TokenType expected, int64_t now) const noexcept;

    const TokenPolicy& GetPolicy() const { return policy_; }

  private:
    TokenCheck VerifyUnsafe(std::string_view token, TokenType expected, int64_t now) const;

    const KeyRing& keys_;
    TokenPolicy policy_;
  };
}
