// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "KeyRing.h"
#include "TokenClaims.h"

#include <string>

namespace studyshare
{
  inline constexpr const char* kTokenIssuer = "studyshare";

  class TokenSigner
  {
  public:
    explicit TokenSigner(const KeyRing& keys) : keys_(keys) {}

    // Compact JWS with header {alg, typ, kid}.
    std::string Issue(const TokenClaims& claims) const;

  private:
    const KeyRing& keys_;
  };
}
