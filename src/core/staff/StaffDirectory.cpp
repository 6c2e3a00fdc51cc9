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
    constexpr std::chrono::seconds kVerifiedLifetime{60};
    constexpr size_t kVerifiedCapacity = 1024;

    int64_t MonotonicSeconds()
    {
      return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
    }

    void CheckName(const std::string& name, bool taken)
    {
      if (name.empty() || name.find(':') != std::string::npos || taken)
      {
        throw std::invalid_argument("staff user name '" + name + "' is empty, holds ':' or is defined twice");
      }
    }
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

  const char* ToString(StaffRefusal refusal)
  {
    switch (refusal)
    {
      case StaffRefusal::None:
        return "none";
      case StaffRefusal::WrongCredentials:
        return "wrong-credentials";
      case StaffRefusal::RateLimited:
        return "rate-limited";
      case StaffRefusal::Busy:
        return "busy";
    }
    return "unknown";
  }

  StaffDirectory::StaffDirectory(std::function<int64_t()> clockSeconds)
    : cacheKey_(crypto::RandomBytes(32)), clock_(clockSeconds ? std::move(clockSeconds) : MonotonicSeconds),
      limiter_(std::make_unique<StaffSignInLimiter>())
  {
  }

  void StaffDirectory::AddPlainUser(const std::string& name, const std::string& password, StaffRole role)
  {
    CheckName(name, users_.count(name) != 0);
    users_[name] = {password, false, role, {}};
    Forget();
  }

  void StaffDirectory::AddHashedUser(const std::string& name, const std::string& passwordHash, StaffRole role)
  {
    if (!PasswordHasher::LooksLikeHash(passwordHash))
    {
      throw std::invalid_argument("the PasswordHash of staff user '" + name +
                                  "' is not an Argon2id hash (make one with 'studyshare hash-password')");
    }
    CheckName(name, users_.count(name) != 0);
    users_[name] = {passwordHash, true, role, {}};
    anyHashed_ = true;
    Forget();
  }

  void StaffDirectory::SetLabels(const std::string& name, std::vector<std::string> labels)
  {
    auto found = users_.find(name);
    if (found == users_.end() || found->second.role != StaffRole::Sharer)
    {
      throw std::invalid_argument("only a sharer may be limited to labels ('" + name + "' is not a sharer)");
    }
    found->second.labels = std::move(labels);
  }

  std::vector<std::string> StaffDirectory::LabelsOf(const std::string& name) const
  {
    auto found = users_.find(name);
    return found == users_.end() ? std::vector<std::string>() : found->second.labels;
  }

  void StaffDirectory::SetSignInLimits(const StaffSignInLimits& limits)
  {
    limiter_ = std::make_unique<StaffSignInLimiter>(limits);
  }

  StaffCheck StaffDirectory::Check(const std::string& name, const std::string& password, const std::string& client)
  {
    return CheckLimited(name, password, client, true);
  }

  StaffCheck StaffDirectory::CheckLimited(const std::string& name, const std::string& password,
                                          const std::string& client, bool limited)
  {
    auto found = users_.find(name);
    const Account* account = found == users_.end() ? nullptr : &found->second;
    const std::string digest = crypto::HmacSha256(cacheKey_, name + '\0' + password);
    // Only the exact credentials verified a moment ago hit: no guess can.
    if (account != nullptr && account->hashed && IsRemembered(digest))
    {
      return {StaffUser{name, account->role}, StaffRefusal::None};
    }
    const int64_t now = clock_();
    if (limited && !limiter_->Begin(client, name, now))
    {
      return {std::nullopt, StaffRefusal::RateLimited};
    }
    const auto forgive = [&]
    {
      if (limited)
      {
        limiter_->Succeeded(client, name, now);
      }
    };
    switch (Verify(account, password, digest))
    {
      case Outcome::Match:
        forgive();
        return {StaffUser{name, account->role}, StaffRefusal::None};
      case Outcome::Busy:
        forgive();  // nothing was tried, so nothing is held against the caller
        return {std::nullopt, StaffRefusal::Busy};
      case Outcome::Mismatch:
        break;
    }
    return {std::nullopt, StaffRefusal::WrongCredentials};
  }

  std::optional<std::pair<std::string, std::string>> StaffDirectory::ReadBasic(
    const std::string& authorizationHeader) const
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
    return std::make_pair(decoded->substr(0, colon), decoded->substr(colon + 1));
  }

  StaffCheck StaffDirectory::CheckBasic(const std::string& authorizationHeader, const std::string& client)
  {
    const auto credentials = ReadBasic(authorizationHeader);
    return credentials ? Check(credentials->first, credentials->second, client) : StaffCheck{};
  }

  std::optional<StaffUser> StaffDirectory::AuthenticateBasic(const std::string& authorizationHeader)
  {
    const auto credentials = ReadBasic(authorizationHeader);
    return credentials ? CheckLimited(credentials->first, credentials->second, "", false).user : std::nullopt;
  }

  StaffDirectory::Outcome StaffDirectory::Verify(const Account* account, const std::string& password,
                                                 const std::string& digest)
  {
    if (account == nullptr)
    {
      return SpendLikeAHash(password);
    }
    if (!account->hashed)
    {
      if (crypto::ConstantTimeEquals(crypto::Sha256(account->secret), crypto::Sha256(password)))
      {
        return Outcome::Match;
      }
      return SpendLikeAHash(password);
    }
    switch (PasswordHasher::Check(account->secret, password))
    {
      case PasswordCheck::Match:
        Remember(digest);
        return Outcome::Match;
      case PasswordCheck::Busy:
        return Outcome::Busy;
      case PasswordCheck::Mismatch:
        break;
    }
    return Outcome::Mismatch;
  }

  StaffDirectory::Outcome StaffDirectory::SpendLikeAHash(const std::string& password)
  {
    if (!anyHashed_)
    {
      return Outcome::Mismatch;  // every account answers at once: nothing to tell apart
    }
    std::call_once(dummyOnce_, [this] { dummyHash_ = PasswordHasher::Hash(crypto::RandomBytes(16)); });
    return PasswordHasher::Check(dummyHash_, password) == PasswordCheck::Busy ? Outcome::Busy : Outcome::Mismatch;
  }

  bool StaffDirectory::IsRemembered(const std::string& digest)
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto cached = verified_.find(digest);
    return cached != verified_.end() && cached->second > std::chrono::steady_clock::now();
  }

  void StaffDirectory::Remember(const std::string& digest)
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (verified_.size() >= kVerifiedCapacity)
    {
      verified_.clear();
    }
    verified_[digest] = std::chrono::steady_clock::now() + kVerifiedLifetime;
  }

  void StaffDirectory::Forget()
  {
    std::lock_guard<std::mutex> lock(mutex_);
    verified_.clear();
  }
}
