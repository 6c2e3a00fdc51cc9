// SPDX-License-Identifier: GPL-3.0-or-later
#include "StaffApiKeys.h"

#include "Base64Url.h"
#include "TextUtilities.h"

#include <cctype>

namespace studyshare
{
  namespace
  {
    constexpr size_t kSecretBytes = 32;
    constexpr size_t kKeyLength = 4 + 43;  // prefix + base64url of 32 bytes
    constexpr size_t kMaxNameLength = 64;

    std::string ToHex(const std::string& bytes)
    {
      static const char kDigits[] = "0123456789abcdef";
      std::string hex;
      for (unsigned char c : bytes)
      {
        hex.push_back(kDigits[c >> 4]);
        hex.push_back(kDigits[c & 15]);
      }
      return hex;
    }

    // One failure bucket per address, so wrong keys from one client never
    // lock other clients' keys out.
    std::string LimiterUser(const std::string& clientAddress)
    {
      return "api-key@" + clientAddress;
    }
  }

  StaffApiKeys::StaffApiKeys(IShareStore& store, std::string_view serverKey, std::function<int64_t()> clock,
                             StaffSignInLimits limits)
    : store_(store), serverKey_(serverKey), clock_(std::move(clock)), limiter_(limits)
  {
  }

  bool StaffApiKeys::LooksLikeApiKey(std::string_view value)
  {
    return StartsWith(value, kPrefix);
  }

  bool StaffApiKeys::IsValidName(const std::string& name)
  {
    if (name.empty() || name.size() > kMaxNameLength)
    {
      return false;
    }
    for (char c : name)
    {
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.')
      {
        return false;
      }
    }
    return true;
  }

  std::string StaffApiKeys::Digest(const std::string& key) const
  {
    return ToHex(serverKey_.Compute(key));
  }

  StaffApiKeys::Issued StaffApiKeys::Create(const std::string& name, StaffRole role,
                                            std::optional<int64_t> lifetimeSeconds, const Actor& by)
  {
    const int64_t now = clock_();
    Issued issued;
    issued.key = std::string(kPrefix) + Base64UrlEncode(crypto::RandomBytes(kSecretBytes));
    StaffApiKey& record = issued.record;
    record.id = crypto::RandomId(9);
    record.name = name;
    record.role = ToString(role);
    record.digest = Digest(issued.key);
    record.createdBy = by.name;
    record.createdAt = now;
    if (lifetimeSeconds)
    {
      record.expiresAt = now + *lifetimeSeconds;
    }
    store_.CreateApiKey(record, {ApiKeyAuditSubject(record.id), now, "api-key-create", "success",
                                 by.name + " (" + name + ", " + record.role + ")", by.clientAddress, by.userAgent});
    return issued;
  }

  bool StaffApiKeys::Revoke(const std::string& id, const Actor& by)
  {
    const int64_t now = clock_();
    return store_.RevokeApiKey(
      id, now, {ApiKeyAuditSubject(id), now, "api-key-revoke", "success", by.name, by.clientAddress, by.userAgent});
  }

  StaffCheck StaffApiKeys::Check(const std::string& key, const std::string& clientAddress)
  {
    StaffCheck check;
    const int64_t now = clock_();
    const std::string bucket = LimiterUser(clientAddress);
    if (!limiter_.Begin(clientAddress, bucket, now))
    {
      check.refusal = StaffRefusal::RateLimited;
      return check;
    }
    if (key.size() != kKeyLength || !LooksLikeApiKey(key))
    {
      return check;
    }
    const std::string digest = Digest(key);
    const std::optional<StaffApiKey> found = store_.FindApiKey(digest);
    // The store found the row by digest; the comparison that decides is
    // made here in constant time, whatever the database's index does.
    if (!found || !crypto::ConstantTimeEquals(found->digest, digest) || !found->IsUsableAt(now))
    {
      return check;
    }
    const std::optional<StaffRole> role = ParseStaffRole(found->role);
    if (!role)
    {
      return check;
    }
    limiter_.Succeeded(clientAddress, bucket, now);
    if (!found->lastUsedAt || *found->lastUsedAt <= now - kLastUseResolutionSeconds)
    {
      store_.MarkApiKeyUsed(found->id, now);
    }
    check.user = StaffUser{"key:" + found->name, *role};
    check.refusal = StaffRefusal::None;
    return check;
  }
}
