// SPDX-License-Identifier: GPL-3.0-or-later
#include "ShortLinkKeys.h"

#include "Base64Url.h"
#include "Crypto.h"

namespace studyshare
{
  ShortLinkKeys::ShortLinkKeys(const std::string& serverSecret)
    : derivationKey_(crypto::HmacSha256(serverSecret, "studyshare short link key v1")),
      digestKey_(crypto::HmacSha256(serverSecret, "studyshare short link digest v1"))
  {
  }

  std::string ShortLinkKeys::KeyFor(const std::string& shareId) const
  {
    // 16 bytes of the HMAC: 128 bits, exactly 22 base64url characters.
    return Base64UrlEncode(crypto::HmacSha256(derivationKey_, shareId).substr(0, 16));
  }

  std::string ShortLinkKeys::Digest(const std::string& key) const
  {
    return Base64UrlEncode(crypto::HmacSha256(digestKey_, key));
  }

  bool ShortLinkKeys::IsWellFormed(const std::string& key)
  {
    // The decoder is strict (alphabet, no padding, canonical trailing bits),
    // so one key has one spelling.
    return key.size() == kLength && Base64UrlDecode(key).has_value();
  }
}
