// SPDX-License-Identifier: GPL-3.0-or-later
// A private PostgreSQL 15 cluster for the unit tests: initdb in a temporary
// folder, started on a free loopback port, once per test process, stopped
// at exit. Run as the `postgres` user when the tests run as root (PostgreSQL
// refuses root). Missing binaries fail the tests unless
// STUDYSHARE_SKIP_POSTGRES=1 says explicitly to skip them.
#pragma once

#include <string>

namespace studyshare::test
{
  class PostgresTestCluster
  {
  public:
    static bool SkipRequested();
    static PostgresTestCluster& Get();  // throws std::runtime_error if it cannot start

    // A new empty database; its libpq connection string.
    std::string FreshDatabase();
    std::string ConnectionTo(const std::string& database) const;

    ~PostgresTestCluster();

  private:
    PostgresTestCluster();
    void RunAsOwner(const std::string& command) const;

    std::string bin_;
    std::string folder_;
    int port_ = 0;
    int databases_ = 0;
  };
}
