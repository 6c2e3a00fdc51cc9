// SPDX-License-Identifier: GPL-3.0-or-later
#include "PostgresTestCluster.h"

#include "PostgresConnection.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <stdexcept>

namespace studyshare::test
{
  namespace
  {
    int FreeLoopbackPort()
    {
      const int fd = socket(AF_INET, SOCK_STREAM, 0);
      sockaddr_in address{};
      address.sin_family = AF_INET;
      address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      socklen_t length = sizeof(address);
      if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
          getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0)
      {
        throw std::runtime_error("no free loopback port");
      }
      const int port = ntohs(address.sin_port);
      close(fd);
      return port;
    }
  }

  bool PostgresTestCluster::SkipRequested()
  {
    const char* skip = std::getenv("STUDYSHARE_SKIP_POSTGRES");
    return skip != nullptr && std::string(skip) == "1";
  }

  PostgresTestCluster& PostgresTestCluster::Get()
  {
    static std::unique_ptr<PostgresTestCluster> cluster(new PostgresTestCluster());
    return *cluster;
  }

  PostgresTestCluster::PostgresTestCluster()
  {
    const char* bin = std::getenv("STUDYSHARE_PG_BIN");
    bin_ = bin != nullptr ? bin : "/usr/lib/postgresql/15/bin";
    if (!std::filesystem::exists(bin_ + "/initdb") || !std::filesystem::exists(bin_ + "/pg_ctl"))
    {
      throw std::runtime_error("PostgreSQL 15 binaries not found in " + bin_ +
                               " (install postgresql, or set STUDYSHARE_SKIP_POSTGRES=1 to skip on purpose)");
    }
    char pattern[] = "/tmp/studyshare-pg-XXXXXX";
    if (mkdtemp(pattern) == nullptr)
    {
      throw std::runtime_error("cannot create a temporary folder");
    }
    folder_ = pattern;
    if (geteuid() == 0)
    {
      const passwd* owner = getpwnam("postgres");
      if (owner == nullptr || chown(folder_.c_str(), owner->pw_uid, owner->pw_gid) != 0)
      {
        throw std::runtime_error("running as root needs the 'postgres' user to own the test cluster");
      }
    }
    port_ = FreeLoopbackPort();
    RunAsOwner(bin_ + "/initdb -D " + folder_ + "/data -A trust -U postgres --no-sync -E UTF8 > " + folder_ +
               "/initdb.log 2>&1");
    RunAsOwner(bin_ + "/pg_ctl -D " + folder_ + "/data -l " + folder_ + "/server.log -w -o \"-p " +
               std::to_string(port_) + " -k " + folder_ +
               " -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300\" start > /dev/null");
  }

  PostgresTestCluster::~PostgresTestCluster()
  {
    try
    {
      RunAsOwner(bin_ + "/pg_ctl -D " + folder_ + "/data -m immediate -w stop > /dev/null 2>&1");
    }
    catch (...)
    {
      // Best effort at exit; the folder goes anyway.
    }
    std::error_code ignored;
    std::filesystem::remove_all(folder_, ignored);
  }

  void PostgresTestCluster::RunAsOwner(const std::string& command) const
  {
    const std::string line = geteuid() == 0 ? "runuser -u postgres -- sh -c '" + command + "'" : command;
    if (std::system(line.c_str()) != 0)
    {
      throw std::runtime_error("the test PostgreSQL cluster failed: " + command);
    }
  }

  std::string PostgresTestCluster::ConnectionTo(const std::string& database) const
  {
    return "host=127.0.0.1 port=" + std::to_string(port_) + " user=postgres dbname=" + database;
  }

  std::string PostgresTestCluster::FreshDatabase()
  {
    const std::string name = "t" + std::to_string(getpid()) + "_" + std::to_string(++databases_);
    PostgresSettings settings;
    settings.connection = ConnectionTo("postgres");
    PgConnection admin(settings);
    admin.Execute("CREATE DATABASE " + name);
    return ConnectionTo(name);
  }
}
