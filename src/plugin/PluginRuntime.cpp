// SPDX-License-Identifier: GPL-3.0-or-later
#include "PluginRuntime.h"

#include "StoreFolder.h"

#include <chrono>
#include <stdexcept>

namespace studyshare::plugin
{
  namespace
  {
    std::unique_ptr<PluginRuntime> g_runtime;

    int64_t Now()
    {
      return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
    }

    int64_t NowMilliseconds()
    {
      return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
    }
  }

  PluginRuntime::PluginRuntime(OrthancPluginContext* context, StudyShareConfig config)
    : orthanc_(context), config_(std::move(config)), keys_(config_.BuildKeyRing())
  {
    config_.FillStaffDirectory(staff_);
    if (staff_.IsEmpty())
    {
      orthanc_.LogWarning(
        "no staff user is configured (RegisteredUsers or StudyShare.Users): "
        "only share tokens and public routes will work");
    }
    if (config_.storeType == "sqlite")
    {
      EnsureStoreFolder(config_.storePath, "StudyShare.Store.Path");
    }
    openedStore_ = OpenShareStore(config_);
    store_ = std::make_unique<CachingShareStore>(
      *openedStore_.store, std::chrono::milliseconds(config_.shareCacheMilliseconds), 4096, openedStore_.stampInterval);
    orthanc_.LogWarning("the share store is " + openedStore_.description);
    resolver_ = std::make_unique<OrthancResolver>(orthanc_);
    cachingResolver_ = std::make_unique<CachingResolver>(*resolver_, static_cast<size_t>(config_.resolverCacheSize),
                                                         std::chrono::seconds(config_.resolverCacheSeconds));
    resolver_->ResolveFoundIdsThrough(*cachingResolver_);
    catalog_ = std::make_unique<OrthancStudyCatalog>(orthanc_, config_.anonymization.copyMetadata);
    grammar_ = std::make_unique<RequestGrammar>(DefaultRouteTable(), config_.grammar);

    TokenPolicy policy;
    policy.audience = config_.audience;
    policy.leewaySeconds = config_.leewaySeconds;
    verifier_ = std::make_unique<TokenVerifier>(keys_, policy);
    signer_ = std::make_unique<TokenSigner>(keys_);
    staffSessions_ = std::make_unique<StaffSessions>(config_.staffSessionIdleSeconds);
    staffSessions_->SetRecords(openedStore_.staffSessions.get());
    gate_ = std::make_unique<Gate>(config_.gate, *grammar_, staff_, *verifier_, *store_, *cachingResolver_, Now,
                                   staffSessions_.get());
    apiKeys_ = std::make_unique<StaffApiKeys>(*store_, config_.ApiKeyDigestKey(), Now, config_.StaffLimits());
    gate_->SetApiKeys(apiKeys_.get());
    studyLabels_ = std::make_unique<OrthancStudyLabels>(orthanc_);
    gate_->SetStudyLabels(studyLabels_.get());
    tokenCache_ = std::make_unique<VerifiedTokenCache>(4096, 300);
    store_->SetListener(tokenCache_.get());
    gate_->SetTokenCache(tokenCache_.get());
    apiKeyApi_ = std::make_unique<ApiKeyApi>(*apiKeys_, Now);
    shareApi_ = std::make_unique<ShareApi>(config_, *store_, *catalog_, *signer_, Now);
    shareApi_->SetStaffLabels(&staff_, studyLabels_.get());
    // Short-link keys come from the same server key as API keys' digests (every node shares it).
    shortLinks_ = std::make_unique<ShortLinkKeys>(config_.ApiKeyDigestKey());
    shareApi_->SetShortLinks(shortLinks_.get());
    if (config_.smtp.Configured())
    {
      MailTemplates templates;
      try
      {
        templates = config_.email.templatesFolder.empty() ? MailTemplates::BuiltIn()
                                                          : MailTemplates::Load(config_.email.templatesFolder);
      }
      catch (const std::invalid_argument& e)
      {
        throw ConfigurationError(std::string("configuration: 'StudyShare.Email.TemplatesFolder': ") + e.what());
      }
      smtpSender_ = std::make_unique<CurlSmtpSender>(config_.smtp);
      mailer_ = std::make_unique<ShareMailer>(config_, std::move(templates), *smtpSender_, Now);
      mailer_->SetWarningLog([this](const std::string& message) { orthanc_.LogWarning(message); });
      shareApi_->SetMailer(mailer_.get());
      emailCodeMailer_ =
        std::make_unique<EmailCodeMailer>(config_, *smtpSender_, Now, config_.emailCodeValiditySeconds);
      emailCodeMailer_->SetWarningLog([this](const std::string& message) { orthanc_.LogWarning(message); });
      orthanc_.LogInfo("share e-mails go through " + config_.smtp.url);
    }

    OpenSettings open;
    open.audience = config_.audience;
    open.sessionLifetime = config_.sessionLifetime;
    open.maxFailedAttempts = config_.maxFailedAttempts;
    open.lockoutSeconds = config_.lockoutSeconds;
    open.codeGuessesPerClient = config_.codeAttemptsPerClientPerMinute;
    open.codeGuessesGlobal = config_.codeAttemptsPerMinute;
    opener_ = std::make_unique<ShareOpener>(open, *store_, *catalog_, *verifier_, *signer_, Now,
                                            [this] { return DetectViewers(); });
    opener_->SetShortLinks(shortLinks_.get());
    opener_->SetStudyLabels(studyLabels_.get());
    if (emailCodeMailer_)
    {
      emailCodes_ =
        std::make_unique<EmailCodes>(EmailCodeSettings{config_.emailCodeValiditySeconds, config_.emailCodesPerHour});
      opener_->SetEmailCodes(emailCodes_.get(), [this](const Share& share, const std::string& code)
                             { return emailCodeMailer_->Send(share, code); });
    }
    SetUpTokenService();
    // 4512: the user metadata beside the copies' 4511, marking what an inbox received.
    inboxArchive_ = std::make_unique<OrthancInboxArchive>(orthanc_, "4512");
    inbox_ = std::make_unique<InboxReceiver>(*store_, *verifier_, *inboxArchive_, Now);
    if (smtpSender_)
    {
      inboxNotifier_ = std::make_unique<InboxNotifier>(config_, *store_, *smtpSender_, Now);
      inboxNotifier_->SetWarningLog([this](const std::string& message) { orthanc_.LogWarning(message); });
      inbox_->SetCompletionListener(
        [this](const std::string& inboxId, const InboxUploadContext& upload) {
          return inboxNotifier_->Notify(inboxId, {upload.clientAddress, upload.userAgent});
        });
    }

    copier_ = std::make_unique<OrthancStudyCopier>(orthanc_, config_.anonymization.copyMetadata);
    anonymizer_ = std::make_unique<AnonymizationWorker>(config_.anonymization, *store_, *catalog_, *copier_, Now,
                                                        [this](const std::string& line) { orthanc_.LogWarning(line); });
    shareApi_->SetAnonymizationQueue(anonymizer_.get());
  }

  void PluginRuntime::StartBackgroundWork()
  {
    anonymizer_->Start();
  }

  void PluginRuntime::StopBackgroundWork()
  {
    anonymizer_->Stop();
  }

  void PluginRuntime::SetUpTokenService()
  {
    if (config_.mode == "remote")
    {
      const RemoteSettings& remote = config_.remote;
      tokenTransport_ = std::make_unique<CurlTokenServiceTransport>(TokenServiceEndpoint{
        remote.url, remote.username, remote.password, static_cast<long>(remote.timeoutMilliseconds)});
      RemoteAuthoritySettings settings;
      settings.tokenKey = config_.gate.tokenHeader;
      settings.serverId = remote.identifier;
      settings.maxCacheSeconds = remote.cacheSeconds;
      remoteAuthority_ = std::make_unique<RemoteTokenAuthority>(settings, *tokenTransport_, NowMilliseconds);
      gate_->SetRemoteAuthority(remoteAuthority_.get());
      // A revocation made here reaches this node's cache at once; other
      // nodes drop their answers within WebServiceCacheSeconds.
      shareApi_->SetRevocationListener([this](const std::string&) { remoteAuthority_->ForgetAll(); });
      explorerTokens_ = std::make_unique<ExplorerTokenApi>(nullptr, tokenTransport_.get(), *catalog_,
                                                           static_cast<size_t>(config_.maxShareStudies), Now);
      explorerTokens_->SetStaffLabels(&staff_, studyLabels_.get());
      orthanc_.LogWarning("share tokens are judged by the token service at " + remote.url);
      return;
    }
    TokenServiceSettings settings;
    settings.audience = config_.audience;
    settings.roots = config_.OwnPublicRoots();
    settings.maxValidityDuration = config_.maxValidityDuration;
    settings.allowNeverExpiring = config_.allowNeverExpiring;
    tokenService_ = std::make_unique<AuthTokenService>(settings, *store_, *signer_, *verifier_, *grammar_, Now);
    explorerTokens_ = std::make_unique<ExplorerTokenApi>(tokenService_.get(), nullptr, *catalog_,
                                                         static_cast<size_t>(config_.maxShareStudies), Now);
    explorerTokens_->SetStaffLabels(&staff_, studyLabels_.get());
  }

  nlohmann::json PluginRuntime::DetectViewers() const
  {
    static const std::pair<const char*, const char*> kViewerPlugins[] = {{"web-viewer", "webviewer"},
                                                                         {"stone-webviewer", "stone"},
                                                                         {"ohif", "ohif"},
                                                                         {"osimis-web-viewer", "osimis"},
                                                                         {"volview", "volview"}};
    nlohmann::json viewers = nlohmann::json::object();
    const OrthancApi::RestAnswer answer = orthanc_.Get("/plugins");
    const nlohmann::json plugins =
      answer.IsSuccess() ? nlohmann::json::parse(answer.body, nullptr, false) : nlohmann::json::array();
    for (const auto& [plugin, viewer] : kViewerPlugins)
    {
      bool installed = false;
      if (plugins.is_array())
      {
        for (const nlohmann::json& name : plugins)
        {
          installed = installed || name == plugin;
        }
      }
      viewers[viewer] = installed;
    }
    if (!config_.ohifFolder.empty())
    {
      // Served by this plugin; a non-default root is passed as the path to use.
      viewers["ohif"] = config_.ohifRoot == "/ohif" ? nlohmann::json(true) : nlohmann::json(config_.ohifRoot);
    }
    return viewers;
  }

  void PluginRuntime::Start(OrthancPluginContext* context)
  {
    OrthancApi orthanc(context);
    const nlohmann::json configuration = nlohmann::json::parse(orthanc.GetConfigurationJson(), nullptr, false);
    g_runtime = std::make_unique<PluginRuntime>(context, StudyShareConfig::Parse(configuration));
  }

  void PluginRuntime::Stop()
  {
    if (g_runtime)
    {
      g_runtime->StopBackgroundWork();
    }
    g_runtime.reset();
  }

  int64_t PluginRuntime::CurrentTime()
  {
    return Now();
  }

  PluginRuntime& PluginRuntime::Get()
  {
    if (!g_runtime)
    {
      throw std::logic_error("StudyShare is not started");
    }
    return *g_runtime;
  }

  bool PluginRuntime::StoreAnswers()
  {
    try
    {
      openedStore_.store->Lookup("studyshare-health-probe");
      return true;
    }
    catch (const std::exception&)
    {
      return false;
    }
  }
}
