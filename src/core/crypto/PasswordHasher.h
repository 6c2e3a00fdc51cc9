// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>

namespace studyshare
{
  // Argon2id through libsodium, in the self-describing "$argon2id$..." form,
  // so parameters can be raised later without breaking stored hashes.
  class PasswordHasher
  {
  public:
    static std::string Hash(const std::string& password);  // throws std::runtime_error
    static bool Verify(const std::string& hash, const std::string& password) noexcept;
    static bool LooksLikeHash(const std::string& text);
  };
}
