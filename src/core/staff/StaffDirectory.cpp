// SPDX-License-Identifier: GPL-3.0-or-later
#include "StaffDirectory.h"

#include "Base64Url.h"
#include "Crypto.h"
#include "PasswordHasher.h"
#include "TextUtilities.h"

#include <stdexcept>

namespace studyshare
{
  namespace
  {
    constexpr std::chrono::seconds kVerifiedLifetime{300};
    constexpr size_t kVerifiedCapacity = 1024;
  }

  std::optional<StaffRole> ParseStaffRole(const std::string& name)
  {
    if (name == "admin")
    {
      return StaffRole::Admin;
    }
    if (name == "sharer")
    {
      return StaffRole::Sharer;
    }
    return std::nullopt;
  }

  const char* ToString(StaffRole role)
  {
    return role == StaffRole::Admin ? "admin" : "sharer";
  }

  StaffDirectory::StaffDirectory() : cacheKey_(crypto::RandomBytes(32)) {}

  void StaffDirectory::AddPlainUser(const std::string& name, const std::string& password, StaffRole role)
  {
    if (name.empty() || name.find(':') != std::string::npos || users_.count(name))
    {
      throw std::invalid_argument("staff user name '" + name + "' is empty, holds ':' or is defined twice");
    }
    users_[name] = {password, false, role};
  }

  void StaffDirectory::AddHashedUser(const std::string& name, const std::string& passwordHash, StaffRole role)
  {
    if (!PasswordHasher::LooksLikeHash(passwordHash))
    {
      throw std::invalid_argument("the PasswordHash of staff user '" + name +
                                  "' is not an Argon2id hash (make one with 'studyshare hash-password')");
    }
    if (name.empty() || name.find(':') != std::string::npos || users_.count(name))
    {
      throw std::invalid_argument("staff user name '" + name + "' is empty, holds ':' or is defined twice");
    }
    users_[name] = {passwordHash, true, role};
  }

  std::optional<StaffUser> StaffDirectory::Authenticate(const std::string& name, const std::string& password)
  {
    auto found = users_.find(name);
    if (found == users_.end())
    {
      return std::nullopt;
    }
    const Account& account = found->second;
    if (!account.hashed)
    {
      if (crypto::ConstantTimeEquals(crypto::Sha256(account.secret), crypto::Sha256(password)))
      {
        return StaffUser{name, account.role};
      }
      return std::nullopt;
    }

    const std::string digest = crypto::HmacSha256(cacheKey_, name + '\0' + password);
    const auto now = std::chrono::steady_clock::now();
    {
      std::lock_guard<std::mutex> lock(mutex_);
      auto cached = verified_.find(digest);
      if (cached != verified_.end() && cached->second > now)
      {
        return StaffUser{name, account.role};
      }
    }
    if (!PasswordHasher::Verify(account.secret, password))
    {
      return std::nullopt;
    }
    std::lock_guard<std::mutex> lock(mutex_);
    if (verified_.size() >= kVerifiedCapacity)
    {
      verified_.clear();
    }
    verified_[digest] = now + kVerifiedLifetime;
    return StaffUser{name, account.role};
  }

  std::optional<StaffUser> StaffDirectory::AuthenticateBasic(const std::string& authorizationHeader)
  {
    const std::string header = Trim(authorizationHeader);
    if (header.size() < 6 || !EqualsIgnoreCase(header.substr(0, 6), "Basic "))
    {
      return std::nullopt;
    }
    auto decoded = Base64Decode(Trim(header.substr(6)));
    if (!decoded)
    {
      return std::nullopt;
    }
    const size_t colon = decoded->find(':');
    if (colon == std::string::npos)
    {
      return std::nullopt;
    }
    return Authenticate(decoded->substr(0, colon), decoded->substr(colon + 1));
  }
}
