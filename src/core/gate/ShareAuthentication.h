// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "AccessDecision.h"
#include "IShareStore.h"
#include "TokenVerifier.h"
#include "VerifiedTokenCache.h"

#include <memory>
#include <optional>
#include <string_view>

namespace studyshare
{
  // A token checked against its share: verified (share or session type),
  // the share found, and its state allowing access now.
  struct ShareAuthentication
  {
    std::optional<AccessDecision> refusal;  // set when the token grants nothing
    TokenStatus tokenStatus = TokenStatus::Malformed;
    std::shared_ptr<const TokenClaims> claims;  // set when the token verified
    std::shared_ptr<const Share> share;         // set when the share was found, even if refused
    bool isSession = false;

    bool Succeeded() const { return !refusal.has_value(); }
  };

  // Where share and session tokens are authenticated, for the gate and the
  // token service alike. With `verified`, a token verified before is not
  // verified again (its share is still read, so revocation and expiry hold).
  // Throws StoreUnavailable when the store cannot answer.
  ShareAuthentication AuthenticateShareToken(const TokenVerifier& verifier, IShareStore& store, std::string_view token,
                                             int64_t now, VerifiedTokenCache* verified = nullptr);
}
