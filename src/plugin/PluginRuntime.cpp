// SPDX-License-Identifier: GPL-3.0-or-later
#include "PluginRuntime.h"

#include <chrono>
#include <stdexcept>

namespace studyshare::plugin
{
  namespace
  {
    std::unique_ptr<PluginRuntime> g_runtime;

    int64_t Now()
    {
      return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch()).count();
    }
  }

  PluginRuntime::PluginRuntime(OrthancPluginContext* context, StudyShareConfig config)
    : orthanc_(context), config_(std::move(config)), keys_(config_.BuildKeyRing())
  {
    config_.FillStaffDirectory(staff_);
    if (staff_.IsEmpty())
    {
      orthanc_.LogWarning("no staff user is configured (RegisteredUsers or StudyShare.Users): "
                          "only share tokens and public routes will work");
    }
    sqliteStore_ = std::make_unique<SqliteShareStore>(config_.storePath);
    store_ = std::make_unique<CachingShareStore>(*sqliteStore_,
                                                 std::chrono::milliseconds(config_.shareCacheMilliseconds));
    resolver_ = std::make_unique<OrthancResolver>(orthanc_);
    cachingResolver_ = std::make_unique<CachingResolver>(*resolver_, static_cast<size_t>(config_.resolverCacheSize),
                                                         std::chrono::seconds(config_.resolverCacheSeconds));
    catalog_ = std::make_unique<OrthancStudyCatalog>(orthanc_);
    grammar_ = std::make_unique<RequestGrammar>(DefaultRouteTable(), config_.grammar);

    TokenPolicy policy;
    policy.audience = config_.audience;
    policy.leewaySeconds = config_.leewaySeconds;
    verifier_ = std::make_unique<TokenVerifier>(keys_, policy);
    signer_ = std::make_unique<TokenSigner>(keys_);
    gate_ = std::make_unique<Gate>(config_.gate, *grammar_, staff_, *verifier_, *store_, *cachingResolver_, Now);
    shareApi_ = std::make_unique<ShareApi>(config_, *store_, *catalog_, *signer_, Now);
  }

  void PluginRuntime::Start(OrthancPluginContext* context)
  {
    OrthancApi orthanc(context);
    const nlohmann::json configuration = nlohmann::json::parse(orthanc.GetConfigurationJson(), nullptr, false);
    g_runtime = std::make_unique<PluginRuntime>(context, StudyShareConfig::Parse(configuration));
  }

  void PluginRuntime::Stop()
  {
    g_runtime.reset();
  }

  PluginRuntime& PluginRuntime::Get()
  {
    if (!g_runtime)
    {
      throw std::logic_error("StudyShare is not started");
    }
    return *g_runtime;
  }
}
