// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "IShareStore.h"
#include "StaffDirectory.h"
#include "StaffSignInLimiter.h"

#include "Crypto.h"

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace studyshare
{
  // Staff API keys for integrations that can hold neither a password nor a
  // cookie (RIS, scripts): "ssk_" and 43 base64url characters (256 random
  // bits), sent as "Authorization: Bearer ssk_...". The prefix cannot start
  // a compact JWS (whose header starts "eyJ") nor an access code, so a key is
  // never taken for a share token. The store keeps only HMAC-SHA256(server
  // key, key); a key is shown once, when created. Wrong keys count against
  // the caller's address like wrong passwords do (StaffSignInLimiter).
  class StaffApiKeys
  {
  public:
    static constexpr const char* kPrefix = "ssk_";
    static constexpr int64_t kLastUseResolutionSeconds = 60;  // the store is written at most this often per key

    StaffApiKeys(IShareStore& store, std::string_view serverKey, std::function<int64_t()> clock,
                 StaffSignInLimits limits = {});

    static bool LooksLikeApiKey(std::string_view value);
    static bool IsValidName(const std::string& name);

    struct Issued
    {
      StaffApiKey record;
      std::string key;  // the only time it exists outside the caller's hands
    };
    struct Actor
    {
      std::string name;
      std::string clientAddress;
      std::string userAgent;
    };
    // `name` must pass IsValidName; `lifetimeSeconds` > 0 or absent (never expires).
    Issued Create(const std::string& name, StaffRole role, std::optional<int64_t> lifetimeSeconds, const Actor& by);
    std::vector<StaffApiKey> List() { return store_.ListApiKeys(); }
    bool Revoke(const std::string& id, const Actor& by);

    // The staff user a key stands for ("key:<name>" with the key's role).
    StaffCheck Check(const std::string& key, const std::string& clientAddress);

  private:
    std::string Digest(const std::string& key) const;

    IShareStore& store_;
    const crypto::HmacSha256Key serverKey_;
    std::function<int64_t()> clock_;
    StaffSignInLimiter limiter_;
  };
}
