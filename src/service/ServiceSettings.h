// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "AuthTokenService.h"
#include "StudyShareConfig.h"

#include <functional>
#include <map>
#include <optional>
#include <string>

namespace studyshare
{
  // NAME → value, from /run/secrets/NAME when that file exists, else from the
  // environment (the Python orthanc-auth-service reads its settings so).
  using SettingSource = std::function<std::optional<std::string>(const std::string& name)>;
  SettingSource SecretsThenEnvironment(const std::string& secretsFolder = "/run/secrets");

  // The store's folder when neither --store nor --config says, and systemd
  // gives no STATE_DIRECTORY.
  inline constexpr const char* kDefaultStateDirectory = "/var/lib/studyshare";

  struct ServiceOptions  // from the command line
  {
    std::string bind = "127.0.0.1";
    int port = 8000;
    std::string configPath;  // an Orthanc-style JSON file: its "StudyShare" and "TokenService" sections
    std::string storePath;   // overrides StudyShare.Store.Path
    bool loopbackOnly = false;
    // Workers running requests (store calls may block). Few: on a small
    // machine each extra worker adds a wake-up and a context switch per
    // request (16 halved the validation rate on 2 cores), and SQLite runs
    // one call at a time anyway. A PostgreSQL store with slow queries may
    // want more (--threads).
    int threads = 4;
    int ioThreads = 2;               // event loop threads: sockets, parsing, timers
    int maxConnections = 10000;      // beyond: 503 and closed
    double readTimeoutSeconds = 5;   // a whole request, from its first byte; an answer's write
    double idleTimeoutSeconds = 30;  // a keep-alive connection between requests
  };

  struct CallerAccount
  {
    std::string name;
    std::string secret;
    bool hashed = false;
  };

  // Everything studyshare-service runs with, validated before it listens:
  // a wrong setting stops it with a message naming the setting.
  struct ServiceSettings
  {
    ServiceOptions options;
    StudyShareConfig shared;  // keys, store, audience, grammar: the same as the plugin's
    TokenServiceSettings tokens;
    std::vector<CallerAccount> callers;  // USERS plus TokenService.Callers
    std::string meddreamTokenServiceUrl;
    bool acceptPythonServiceTokens = false;         // TokenService.AcceptPythonServiceTokens
    int64_t callerFailuresPerClientPerMinute = 10;  // TokenService.CallerFailuresPerClientPerMinute
    std::string storeSetting;                       // what to change to move the store, for error messages

    static ServiceSettings Load(const ServiceOptions& options, const SettingSource& source);

    // True when callers may skip authentication: loopback-only was asked
    // and the service listens on a loopback address.
    bool AllowsAnonymousCallers() const;
  };

  bool IsLoopbackAddress(const std::string& address);
}
