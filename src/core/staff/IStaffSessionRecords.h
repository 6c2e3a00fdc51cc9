// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "StaffDirectory.h"

#include <cstdint>
#include <optional>
#include <string>

namespace studyshare
{
  // Where staff browser sessions live when several nodes must share them
  // (the PostgreSQL store). Keys are digests of the cookie, never the cookie.
  class IStaffSessionRecords
  {
  public:
    virtual ~IStaffSessionRecords() = default;
    IStaffSessionRecords() = default;
    IStaffSessionRecords(const IStaffSessionRecords&) = delete;
    IStaffSessionRecords& operator=(const IStaffSessionRecords&) = delete;

    virtual void Put(const std::string& key, const StaffUser& user, int64_t now) = 0;
    // The session's user if it was seen less than `idleSeconds` ago (and
    // marks it seen now); nullopt otherwise.
    virtual std::optional<StaffUser> Touch(const std::string& key, int64_t now, int64_t idleSeconds) = 0;
    virtual void Remove(const std::string& key) = 0;
  };
}
