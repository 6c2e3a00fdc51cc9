// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

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

  // Staff accounts: Orthanc's RegisteredUsers (plain passwords, admins) and
  // StudyShare users with Argon2id hashes. Argon2id is slow on purpose, so a
  // successful check is remembered for a short while under a keyed digest of
  // the credentials (never the password itself).
  class StaffDirectory
  {
  public:
    StaffDirectory();

    void AddPlainUser(const std::string& name, const std::string& password, StaffRole role);
    void AddHashedUser(const std::string& name, const std::string& passwordHash, StaffRole role);
    bool IsEmpty() const { return users_.empty(); }

    std::optional<StaffUser> Authenticate(const std::string& name, const std::string& password);

    // Parses "Basic base64(user:password)"; nullopt if absent, malformed or wrong.
    std::optional<StaffUser> AuthenticateBasic(const std::string& authorizationHeader);

  private:
    struct Account
    {
      std::string secret;  // plain password or Argon2id hash
      bool hashed = false;
      StaffRole role = StaffRole::Sharer;
    };

    std::map<std::string, Account> users_;
    const std::string cacheKey_;
    std::mutex mutex_;
    std::unordered_map<std::string, std::chrono::steady_clock::time_point> verified_;
  };
}
