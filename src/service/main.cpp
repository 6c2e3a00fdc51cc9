// SPDX-License-Identifier: GPL-3.0-or-later
// studyshare-service: the token web service of Orthanc's authorization
// plugin and Orthanc Explorer 2, on StudyShare's shares and keys.
#include "CachingShareStore.h"
#include "RouteTable.h"
#include "ServiceLog.h"
#include "ServiceRoutes.h"
#include "ServiceSettings.h"
#include "ShareStoreFactory.h"
#include "StoreFolder.h"
#include "TokenServiceTransport.h"
#include "http/HttpServer.h"

#include <CLI/CLI.hpp>

#include <pthread.h>
#include <sys/resource.h>
#include <algorithm>
#include <chrono>
#include <csignal>
#include <iostream>
#include <thread>

using namespace studyshare;

namespace
{
  std::chrono::milliseconds Milliseconds(double seconds)
  {
    return std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000));
  }

  // Every connection is a file descriptor: the soft limit is raised to fit
  // --max-connections when the hard limit allows, else the maximum is
  // lowered to fit, so that a full server answers 503 instead of failing
  // to accept (and to open its store).
  int FitConnectionsToFileLimit(int wanted)
  {
    constexpr rlim_t kSpare = 64;  // store, logs, outgoing connections
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0)
    {
      return wanted;
    }
    const rlim_t needed = static_cast<rlim_t>(wanted) + kSpare;
    if (limit.rlim_cur < needed)
    {
      rlimit raised = limit;
      raised.rlim_cur = limit.rlim_max == RLIM_INFINITY ? needed : std::min(needed, limit.rlim_max);
      if (setrlimit(RLIMIT_NOFILE, &raised) == 0)
      {
        limit = raised;
      }
    }
    if (limit.rlim_cur >= needed)
    {
      return wanted;
    }
    const int fitted = limit.rlim_cur > kSpare + 1 ? static_cast<int>(limit.rlim_cur - kSpare) : 1;
    LogEvent("warning", "max-connections-lowered",
             {{"asked", wanted}, {"max-connections", fitted}, {"nofile", static_cast<uint64_t>(limit.rlim_cur)}});
    return fitted;
  }

  int64_t Now()
  {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
  }

  void FillDirectory(StaffDirectory& directory, const std::vector<CallerAccount>& callers)
  {
    for (const CallerAccount& caller : callers)
    {
      if (caller.hashed)
      {
        directory.AddHashedUser(caller.name, caller.secret, StaffRole::Admin);
      }
      else
      {
        directory.AddPlainUser(caller.name, caller.secret, StaffRole::Admin);
      }
    }
  }

  // MedDream opens studies with its own tokens, asked from its token service.
  MedDreamTokenIssuer MakeMedDreamIssuer(const std::string& url)
  {
    auto transport = std::make_shared<CurlTokenServiceTransport>(TokenServiceEndpoint{url, "", "", 5000});
    return [transport](const std::vector<SharedStudy>& studies) -> std::optional<std::string>
    {
      nlohmann::json items = nlohmann::json::array();
      for (const SharedStudy& study : studies)
      {
        items.push_back({{"studies", {{"study", study.dicomUid}, {"storage", "Orthanc"}}}});
      }
      const TransportReply reply = transport->Send("POST", "", nlohmann::json({{"items", items}}).dump());
      if (!reply.reached || reply.status != 200 || reply.body.empty())
      {
        LogEvent("error", "meddream-token-failed", {{"status", reply.status}, {"cause", reply.error}});
        return std::nullopt;
      }
      return reply.body;
    };
  }

  int Run(const ServiceSettings& settings)
  {
    const KeyRing keys = settings.shared.BuildKeyRing();
    TokenPolicy policy;
    policy.audience = settings.shared.audience;
    policy.leewaySeconds = settings.shared.leewaySeconds;
    const TokenVerifier verifier(keys, policy);
    const TokenSigner signer(keys);
    const RequestGrammar grammar(DefaultRouteTable(), settings.shared.grammar);

    if (settings.shared.storeType == "sqlite")
    {
      EnsureStoreFolder(settings.shared.storePath, settings.storeSetting);
    }
    const OpenedShareStore opened = OpenShareStore(settings.shared);
    CachingShareStore store(*opened.store, std::chrono::milliseconds(settings.shared.shareCacheMilliseconds));
    StaffDirectory callers;
    FillDirectory(callers, settings.callers);
    StaffSignInLimits callerLimits;
    callerLimits.failuresPerClient = static_cast<size_t>(settings.callerFailuresPerClientPerMinute);
    callerLimits.countsUsers = false;
    callers.SetSignInLimits(callerLimits);
    StaffDirectory staff;
    settings.shared.FillStaffDirectory(staff);

    AuthTokenService tokens(settings.tokens, store, signer, verifier, grammar, Now);
    if (!settings.meddreamTokenServiceUrl.empty())
    {
      tokens.SetMedDreamTokenIssuer(MakeMedDreamIssuer(settings.meddreamTokenServiceUrl));
    }

    ServiceRoutes routes(tokens, *opened.store, callers, staff, settings.AllowsAnonymousCallers(),
                         settings.shared.trustedProxies);
    http::ServerOptions serverOptions;
    serverOptions.bind = settings.options.bind;
    serverOptions.port = static_cast<uint16_t>(settings.options.port);
    serverOptions.ioThreads = static_cast<size_t>(settings.options.ioThreads);
    serverOptions.workerThreads = static_cast<size_t>(settings.options.threads);
    const int maxConnections = FitConnectionsToFileLimit(settings.options.maxConnections);
    serverOptions.maxConnections = static_cast<size_t>(maxConnections);
    serverOptions.limits.readTimeout = Milliseconds(settings.options.readTimeoutSeconds);
    serverOptions.limits.idleTimeout = Milliseconds(settings.options.idleTimeoutSeconds);
    http::HttpServer server(serverOptions,
                            [&routes](const http::ServerRequest& request) { return routes.Handle(request); });
    std::string listenError;
    if (!server.Listen(listenError))
    {
      LogEvent("error", "cannot-listen",
               {{"bind", settings.options.bind}, {"port", settings.options.port}, {"cause", listenError}});
      return 1;
    }

    // SIGTERM/SIGINT are taken by a thread of their own, which stops the
    // server cleanly: requests in progress finish, then main returns.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    std::thread stopper(
      [&server, signals]
      {
        int received = 0;
        sigwait(&signals, &received);
        LogEvent("info", "stopping", {{"signal", received == SIGTERM ? "SIGTERM" : "SIGINT"}});
        server.Stop();
      });

    LogEvent("info", "listening",
             {{"bind", settings.options.bind},
              {"port", settings.options.port},
              {"store", opened.description},
              {"callers", settings.callers.size()},
              {"anonymous-callers", settings.AllowsAnonymousCallers()},
              {"io-threads", settings.options.ioThreads},
              {"worker-threads", settings.options.threads},
              {"max-connections", maxConnections}});
    const bool clean = server.Run();
    if (stopper.joinable())
    {
      pthread_kill(stopper.native_handle(), SIGTERM);  // wakes the stopper if the server stopped by itself
      stopper.join();
    }
    LogEvent("info", "stopped");
    return clean ? 0 : 1;
  }
}

int main(int argc, char** argv)
{
  // Blocked here, before any thread exists, so only the stopper receives them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  ServiceOptions options;
  CLI::App app{"studyshare-service: token service for Orthanc's authorization plugin and Orthanc Explorer 2"};
  app.add_option("--bind", options.bind, "address to listen on")->capture_default_str();
  app.add_option("--port", options.port, "port to listen on")->capture_default_str()->check(CLI::Range(1, 65535));
  app.add_option("--config", options.configPath,
                 "JSON file with the \"StudyShare\" section the plugin uses (keys, store) and \"TokenService\"");
  app.add_option("--store", options.storePath,
                 "SQLite share store (overrides StudyShare.Store.Path; without --config the default is "
                 "$STATE_DIRECTORY/studyshare.db, else /var/lib/studyshare/studyshare.db)");
  app.add_option("--threads", options.threads, "worker threads: run requests (store calls may block)")
    ->capture_default_str()
    ->envname("STUDYSHARE_SERVICE_THREADS")
    ->check(CLI::Range(1, 1024));
  app.add_option("--io-threads", options.ioThreads, "event-loop threads: sockets, parsing, timers; never block")
    ->capture_default_str()
    ->envname("STUDYSHARE_SERVICE_IO_THREADS")
    ->check(CLI::Range(1, 64));
  app
    .add_option("--max-connections", options.maxConnections,
                "open connections at most; one more is answered 503 and closed")
    ->capture_default_str()
    ->envname("STUDYSHARE_SERVICE_MAX_CONNECTIONS")
    ->check(CLI::Range(1, 1000000));
  app
    .add_option("--read-timeout", options.readTimeoutSeconds,
                "seconds for a whole request from its first byte (and for writing an answer)")
    ->capture_default_str()
    ->envname("STUDYSHARE_SERVICE_READ_TIMEOUT")
    ->check(CLI::Range(0.1, 3600.0));
  app
    .add_option("--idle-timeout", options.idleTimeoutSeconds,
                "seconds a keep-alive connection may wait for its next request")
    ->capture_default_str()
    ->envname("STUDYSHARE_SERVICE_IDLE_TIMEOUT")
    ->check(CLI::Range(0.1, 86400.0));
  app.add_flag("--loopback-only", options.loopbackOnly,
               "allow callers without credentials; only with a loopback --bind address");
  CLI11_PARSE(app, argc, argv);

  try
  {
    return Run(ServiceSettings::Load(options, SecretsThenEnvironment()));
  }
  catch (const StoreFolderError& e)
  {
    LogEvent("error", "store-folder", {{"message", e.what()}});
    std::cerr << "studyshare-service: " << e.what() << std::endl;
    return 2;
  }
  catch (const ConfigurationError& e)
  {
    LogEvent("error", "configuration", {{"message", e.what()}});
    std::cerr << "studyshare-service: " << e.what() << std::endl;
    return 2;
  }
  catch (const std::exception& e)
  {
    LogEvent("error", "fatal", {{"message", e.what()}});
    return 1;
  }
}
