// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Share.h"
#include "TokenSigner.h"

#include <string>

namespace studyshare
{
  // A share's link token. Deterministic for a share, so staff can fetch the
  // link again; never-expiring shares still get an `exp` claim (RFC 8725
  // habit), the share's own state decides.
  std::string IssueShareToken(const TokenSigner& signer, const std::string& audience, const Share& share);
}
