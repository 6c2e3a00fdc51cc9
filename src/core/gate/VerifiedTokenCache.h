// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "IShareCacheListener.h"
#include "Sha256Digest.h"
#include "TokenClaims.h"

#include <memory>
#include <shared_mutex>
#include <string_view>
#include <unordered_map>

namespace studyshare
{
  // Tokens whose signature and claims were verified a moment ago, so the
  // hundreds of image requests a viewer sends with one token cost one
  // verification. Keyed by the SHA-256 of the token (the token itself is
  // never kept); an entry never outlives the token's `exp` nor `maxAge`;
  // the cache holds at most `capacity` entries; a share dropped by the share
  // cache (revocation, or any change seen through the store's stamp) drops
  // its tokens. Only valid verifications are kept: a refusal is re-checked.
  // The share's state is not cached here: it is read on every request.
  class VerifiedTokenCache : public IShareCacheListener
  {
  public:
    VerifiedTokenCache(size_t capacity, int64_t maxAgeSeconds);

    // The claims of a token verified before, if still valid at `now`.
    std::shared_ptr<const TokenClaims> Find(const crypto::Sha256Digest& key, int64_t now) const;

    void Remember(const crypto::Sha256Digest& key, std::shared_ptr<const TokenClaims> claims, int64_t now);

    void ShareDropped(const std::string& shareId) override;
    void AllSharesDropped() override;

    size_t GetSize() const;

  private:
    struct Entry
    {
      std::shared_ptr<const TokenClaims> claims;
      int64_t validUntil;  // exclusive, in the gate's clock (seconds)
    };

    const size_t capacity_;
    const int64_t maxAgeSeconds_;
    mutable std::shared_mutex mutex_;
    std::unordered_map<crypto::Sha256Digest, Entry, crypto::Sha256DigestHash> entries_;
  };
}
