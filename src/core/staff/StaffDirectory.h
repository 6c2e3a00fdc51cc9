// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "StaffSignInLimiter.h"

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace studyshare
{
  enum class StaffRole
  {
    Admin,  // everything Orthanc allows
    Sharer  // reads, creates shares, revokes its own
  };

  std::optional<StaffRole> ParseStaffRole(const std::string& name);
  const char* ToString(StaffRole role);

  struct StaffUser
  {
    std::string name;
    StaffRole role = StaffRole::Sharer;
  };

  enum class StaffRefusal
  {
    None,
    WrongCredentials,
    RateLimited,  // too many failures for this client or user: nothing was checked
    Busy          // too many password hashes running: nothing was checked
  };

  const char* ToString(StaffRefusal refusal);

  struct StaffCheck
  {
    std::optional<StaffUser> user;
    StaffRefusal refusal = StaffRefusal::WrongCredentials;
  };

  // Staff accounts: Orthanc's RegisteredUsers (plain passwords, admins) and
  // StudyShare users with Argon2id hashes. Every entrance (login page, HTTP
  // Basic) goes through Check(), so they share one set of failure limits.
  // Argon2id is slow on purpose: a successful check is remembered for a
  // minute under an HMAC of the credentials with a per-process random key
  // (never the password itself), forgotten when the accounts change. When
  // StudyShare users exist, a wrong password for an unknown or a plain user
  // costs one Argon2id verification too, so timing does not tell names apart.
  class StaffDirectory
  {
  public:
    // `clockSeconds` drives the failure windows (a monotonic clock by default).
    explicit StaffDirectory(std::function<int64_t()> clockSeconds = nullptr);

    void AddPlainUser(const std::string& name, const std::string& password, StaffRole role);
    void AddHashedUser(const std::string& name, const std::string& passwordHash, StaffRole role);
    void SetSignInLimits(const StaffSignInLimits& limits);
    bool IsEmpty() const { return users_.empty(); }
    // Limits a sharer to the studies carrying one of `labels` (Orthanc 1.12
    // labels); never set for an admin. Empty for a user without the limit.
    void SetLabels(const std::string& name, std::vector<std::string> labels);
    std::vector<std::string> LabelsOf(const std::string& name) const;

    // `client` is the caller's address; empty when there is none to count by.
    StaffCheck Check(const std::string& name, const std::string& password, const std::string& client);
    // Parses "Basic base64(user:password)"; a malformed header is WrongCredentials.
    StaffCheck CheckBasic(const std::string& authorizationHeader, const std::string& client);

    // Without the failure limits: for callers that answer for a whole
    // service (the token service's own callers and profile questions).
    std::optional<StaffUser> Authenticate(const std::string& name, const std::string& password)
    {
      return CheckLimited(name, password, "", false).user;
    }
    std::optional<StaffUser> AuthenticateBasic(const std::string& authorizationHeader);

  private:
    struct Account
    {
      std::string secret;  // plain password or Argon2id hash
      bool hashed = false;
      StaffRole role = StaffRole::Sharer;
      std::vector<std::string> labels;
    };

    enum class Outcome
    {
      Match,
      Mismatch,
      Busy
    };

    StaffCheck CheckLimited(const std::string& name, const std::string& password, const std::string& client,
                            bool limited);
    std::optional<std::pair<std::string, std::string>> ReadBasic(const std::string& authorizationHeader) const;
    Outcome Verify(const Account* account, const std::string& password, const std::string& digest);
    Outcome SpendLikeAHash(const std::string& password);
    bool IsRemembered(const std::string& digest);
    void Remember(const std::string& digest);
    void Forget();

    std::map<std::string, Account> users_;
    bool anyHashed_ = false;
    const std::string cacheKey_;
    std::function<int64_t()> clock_;
    std::unique_ptr<StaffSignInLimiter> limiter_;
    std::once_flag dummyOnce_;
    std::string dummyHash_;
    std::mutex mutex_;
    std::unordered_map<std::string, std::chrono::steady_clock::time_point> verified_;
  };
}
