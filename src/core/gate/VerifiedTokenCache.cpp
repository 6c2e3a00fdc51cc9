// SPDX-License-Identifier: GPL-3.0-or-later
#include "VerifiedTokenCache.h"

#include <algorithm>
#include <mutex>

namespace studyshare
{
  namespace
  {
    const std::string& ShareOf(const TokenClaims& claims)
    {
      return claims.type == TokenType::Session ? claims.shareId : claims.id;
    }
  }

  VerifiedTokenCache::VerifiedTokenCache(size_t capacity, int64_t maxAgeSeconds)
    : capacity_(capacity), maxAgeSeconds_(maxAgeSeconds)
  {
  }

  std::shared_ptr<const TokenClaims> VerifiedTokenCache::Find(const crypto::Sha256Digest& key, int64_t now) const
  {
    std::shared_lock<std::shared_mutex> lock(mutex_);
    auto found = entries_.find(key);
    if (found == entries_.end() || now >= found->second.validUntil)
    {
      return nullptr;
    }
    return found->second.claims;
  }

  void VerifiedTokenCache::Remember(const crypto::Sha256Digest& key, std::shared_ptr<const TokenClaims> claims,
                                    int64_t now)
  {
    // Strictly before `exp` (verification itself allows a small leeway past it).
    const int64_t validUntil = std::min(claims->expiresAt, now + maxAgeSeconds_);
    if (capacity_ == 0 || validUntil <= now)
    {
      return;
    }
    std::unique_lock<std::shared_mutex> lock(mutex_);
    if (entries_.size() >= capacity_ && entries_.find(key) == entries_.end())
    {
      for (auto it = entries_.begin(); it != entries_.end();)
      {
        it = now >= it->second.validUntil ? entries_.erase(it) : std::next(it);
      }
      if (entries_.size() >= capacity_)
      {
        entries_.clear();  // more live tokens than room: start over rather than grow
      }
    }
    entries_[key] = {std::move(claims), validUntil};
  }

  void VerifiedTokenCache::ShareDropped(const std::string& shareId)
  {
    std::unique_lock<std::shared_mutex> lock(mutex_);
    for (auto it = entries_.begin(); it != entries_.end();)
    {
      it = ShareOf(*it->second.claims) == shareId ? entries_.erase(it) : std::next(it);
    }
  }

  void VerifiedTokenCache::AllSharesDropped()
  {
    std::unique_lock<std::shared_mutex> lock(mutex_);
    entries_.clear();
  }

  size_t VerifiedTokenCache::GetSize() const
  {
    std::shared_lock<std::shared_mutex> lock(mutex_);
    return entries_.size();
  }
}
