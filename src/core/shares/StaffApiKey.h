// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace studyshare
{
  // A staff API key as the share store keeps it: never the key itself, only
  // its keyed digest (HMAC-SHA256 under the server's key, hex), so a copy of
  // the database alone opens nothing.
  struct StaffApiKey
  {
    std::string id;  // public, names the key in lists, audits and revocation
    std::string name;
    std::string role;    // "admin" or "sharer" (the staff domain reads it)
    std::string digest;  // lower-case hex
    std::string createdBy;
    int64_t createdAt = 0;
    std::optional<int64_t> expiresAt;
    std::optional<int64_t> lastUsedAt;
    std::optional<int64_t> revokedAt;

    bool IsUsableAt(int64_t now) const { return !revokedAt && (!expiresAt || now < *expiresAt); }
  };

  // Audit lines of an API key live beside the shares' under this subject.
  inline std::string ApiKeyAuditSubject(const std::string& keyId)
  {
    return "api-key:" + keyId;
  }
}
