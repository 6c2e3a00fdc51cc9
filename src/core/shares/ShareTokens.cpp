// SPDX-License-Identifier: GPL-3.0-or-later
#include "ShareTokens.h"

namespace studyshare
{
  namespace
  {
    constexpr int64_t kNeverExpiringTokenLifetime = 100LL * 365 * 24 * 3600;
  }

  std::string IssueShareToken(const TokenSigner& signer, const std::string& audience, const Share& share)
  {
    TokenClaims claims;
    claims.type = TokenType::Share;
    claims.id = share.id;
    claims.audience = audience;
    claims.issuedAt = share.createdAt;
    claims.notBefore = share.createdAt;
    claims.expiresAt = share.expiresAt ? *share.expiresAt : share.createdAt + kNeverExpiringTokenLifetime;
    return signer.Issue(claims);
  }
}
