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

#include <httplib.h>
#include <CLI/CLI.hpp>

#include <pthread.h>
#include <chrono>
#include <csignal>
#include <iostream>
#include <thread>

using namespace studyshare;

namespace
{
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

    httplib::Server server;
    // One worker per connection (cpp-httplib serves a keep-alive connection
    // on one thread), and connections kept alive as long as callers like.
    const size_t threads = static_cast<size_t>(settings.options.threads);
    server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
    server.set_keep_alive_max_count(1000000);
    server.set_payload_max_length(1 << 20);
    server.set_tcp_nodelay(true);
    // A caller that trickles its request holds a worker: give it little time.
    server.set_read_timeout(2, 0);
    ServiceRoutes routes(tokens, *opened.store, callers, staff, settings.AllowsAnonymousCallers(),
                         settings.shared.trustedProxies);
    routes.Register(server);

    if (!server.bind_to_port(settings.options.bind, settings.options.port))
    {
      LogEvent("error", "cannot-listen", {{"bind", settings.options.bind}, {"port", settings.options.port}});
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
        server.stop();
      });

    LogEvent("info", "listening",
             {{"bind", settings.options.bind},
              {"port", settings.options.port},
              {"store", opened.description},
              {"callers", settings.callers.size()},
              {"anonymous-callers", settings.AllowsAnonymousCallers()}});
    const bool clean = server.listen_after_bind();
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
  app.add_option("--threads", options.threads, "worker threads (one per open connection)")
    ->capture_default_str()
    ->check(CLI::Range(2, 1024));
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
