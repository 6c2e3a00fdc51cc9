// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>

namespace studyshare
{
  enum class PasswordCheck
  {
    Match,
    Mismatch,
    Busy  // too many hashes running and waiting: nothing was checked
  };

  // Argon2id through libsodium, in the self-describing "$argon2id$..." form,
  // so parameters can be raised later without breaking stored hashes. Every
  // hash takes a slot of HashSlots::Process(), which bounds their memory.
  class PasswordHasher
  {
  public:
    static std::string Hash(const std::string& password);  // throws std::runtime_error
    // Waits for a slot as long as needed.
    static bool Verify(const std::string& hash, const std::string& password) noexcept;
    // Waits in the bounded queue only, for callers that can answer "busy".
    static PasswordCheck Check(const std::string& hash, const std::string& password) noexcept;
    static bool LooksLikeHash(const std::string& text);
  };
}
