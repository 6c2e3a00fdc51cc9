// SPDX-License-Identifier: GPL-3.0-or-later
#include "PasswordHasher.h"

#include "HashSlots.h"

#include <sodium.h>

#include <stdexcept>

namespace studyshare
{
  namespace
  {
    void EnsureSodium()
    {
      if (sodium_init() < 0)
      {
        throw std::runtime_error("libsodium cannot be initialized");
      }
    }

    bool VerifyInSlot(const std::string& hash, const std::string& password)
    {
      return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
    }

    bool IsVerifiable(const std::string& hash)
    {
      return sodium_init() >= 0 && PasswordHasher::LooksLikeHash(hash) && hash.size() < crypto_pwhash_STRBYTES;
    }
  }

  std::string PasswordHasher::Hash(const std::string& password)
  {
    EnsureSodium();
    HashSlots::Process().Acquire();
    const HashSlot slot(HashSlots::Process());
    char hash[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str_alg(hash, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                              crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) != 0)
    {
      throw std::runtime_error("password hashing ran out of memory");
    }
    return hash;
  }

  bool PasswordHasher::Verify(const std::string& hash, const std::string& password) noexcept
  {
    if (!IsVerifiable(hash))
    {
      return false;
    }
    HashSlots::Process().Acquire();
    const HashSlot slot(HashSlots::Process());
    return VerifyInSlot(hash, password);
  }

  PasswordCheck PasswordHasher::Check(const std::string& hash, const std::string& password) noexcept
  {
    if (!IsVerifiable(hash))
    {
      return PasswordCheck::Mismatch;
    }
    if (!HashSlots::Process().TryAcquire())
    {
      return PasswordCheck::Busy;
    }
    const HashSlot slot(HashSlots::Process());
    return VerifyInSlot(hash, password) ? PasswordCheck::Match : PasswordCheck::Mismatch;
  }

  bool PasswordHasher::LooksLikeHash(const std::string& text)
  {
    return text.rfind("$argon2id$", 0) == 0;
  }
}
