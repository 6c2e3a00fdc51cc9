// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>

namespace studyshare
{
  // Short links ({PublicUrl}/s/#<key>): each share's key is 128 bits, 22
  // base64url characters, derived from the server secret and the share's ID
  // (an HMAC, so it cannot be guessed without the secret, and staff can be
  // shown it again, as share tokens are). The store keeps only another keyed
  // digest of it, so a copy of the database names no working key. A key opens
  // nothing by itself at the gate: it is only accepted by /share/api/open.
  class ShortLinkKeys
  {
  public:
    static constexpr size_t kLength = 22;

    explicit ShortLinkKeys(const std::string& serverSecret);

    std::string KeyFor(const std::string& shareId) const;
    std::string Digest(const std::string& key) const;

    // 22 base64url characters; anything else is refused before any lookup.
    static bool IsWellFormed(const std::string& key);

  private:
    std::string derivationKey_;
    std::string digestKey_;
  };
}
