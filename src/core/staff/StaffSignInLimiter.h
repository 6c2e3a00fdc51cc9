// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>

namespace studyshare
{
  struct StaffSignInLimits
  {
    int64_t windowSeconds = 60;
    size_t failuresPerClient = 10;  // wrong staff passwords from one client address
    size_t failuresPerUser = 10;    // wrong passwords naming one user, from anywhere
    // Off for a service's callers: anyone could otherwise lock out the one
    // account a whole Orthanc signs in with by naming it.
    bool countsUsers = true;
  };

  // Counts staff sign-ins (login page and HTTP Basic alike) in a sliding
  // window, per client address and per user name, so a password cannot be
  // guessed faster than the limits through any entrance. An attempt counts
  // from the moment it begins, before the slow hash, and is forgiven when it
  // succeeds: parallel attempts cannot overtake the limit.
  class StaffSignInLimiter
  {
  public:
    explicit StaffSignInLimiter(StaffSignInLimits limits = {});

    // false when the client or the user is over its limit; otherwise the
    // attempt is counted as a failure until Succeeded() says otherwise. An
    // empty `client` is not counted by address.
    bool Begin(const std::string& client, const std::string& user, int64_t now);
    void Succeeded(const std::string& client, const std::string& user, int64_t begunAt);

  private:
    using Times = std::deque<int64_t>;
    using Counts = std::unordered_map<std::string, Times>;

    size_t Count(Counts& counts, const std::string& key, int64_t now);
    void Add(Counts& counts, const std::string& key, int64_t now);
    static void Forgive(Counts& counts, const std::string& key, int64_t begunAt);

    const StaffSignInLimits limits_;
    std::mutex mutex_;
    Counts byClient_;
    Counts byUser_;
  };
}
