// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "IStaffSessionRecords.h"
#include "PostgresPool.h"

namespace studyshare
{
  // Staff browser sessions in the shared database: a login on one node works
  // on every node, a logout on any node ends it everywhere.
  class PostgresStaffSessionRecords : public IStaffSessionRecords
  {
  public:
    explicit PostgresStaffSessionRecords(PostgresPool& pool) : pool_(pool) {}

    void Put(const std::string& key, const StaffUser& user, int64_t now) override;
    std::optional<StaffUser> Touch(const std::string& key, int64_t now, int64_t idleSeconds) override;
    void Remove(const std::string& key) override;

  private:
    PostgresPool& pool_;
  };
}
