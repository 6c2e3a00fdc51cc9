// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "AnonymizationWorker.h"
#include "ApiKeyApi.h"
#include "AttemptLimiter.h"
#include "CachingResolver.h"
#include "CachingShareStore.h"
#include "CurlSmtpSender.h"
#include "EmailCodeMailer.h"
#include "ExplorerTokenApi.h"
#include "Gate.h"
#include "InboxNotifier.h"
#include "InboxReceiver.h"
#include "KeyRing.h"
#include "OrthancApi.h"
#include "OrthancInboxArchive.h"
#include "OrthancResolver.h"
#include "OrthancStudyCatalog.h"
#include "OrthancStudyCopier.h"
#include "OrthancStudyLabels.h"
#include "RemoteTokenAuthority.h"
#include "RequestGrammar.h"
#include "ShareApi.h"
#include "ShareMailer.h"
#include "ShareOpener.h"
#include "ShareStoreFactory.h"
#include "StaffDirectory.h"
#include "StudyShareConfig.h"
#include "TokenSigner.h"
#include "TokenVerifier.h"

#include <memory>

namespace studyshare::plugin
{
  // Everything the plugin owns, built once from the configuration at start-up
  // and torn down at finalization. Callbacks reach it through Get().
  class PluginRuntime
  {
  public:
    PluginRuntime(OrthancPluginContext* context, StudyShareConfig config);

    static void Start(OrthancPluginContext* context);  // throws ConfigurationError / StoreUnavailable
    static void Stop();
    // Work that calls Orthanc's REST API: from OrthancStarted to OrthancStopped.
    void StartBackgroundWork();
    void StopBackgroundWork();
    static PluginRuntime& Get();
    static int64_t CurrentTime();

    const OrthancApi& Orthanc() const { return orthanc_; }
    const StudyShareConfig& Config() const { return config_; }
    Gate& GetGate() { return *gate_; }
    ShareApi& Shares() { return *shareApi_; }
    CachingResolver& Resolver() { return *cachingResolver_; }
    ShareOpener& Opener() { return *opener_; }
    StaffDirectory& Staff() { return staff_; }
    StaffSessions& Sessions() { return *staffSessions_; }
    ExplorerTokenApi& ExplorerTokens() { return *explorerTokens_; }
    ApiKeyApi& ApiKeys() { return *apiKeyApi_; }
    InboxReceiver& Inbox() { return *inbox_; }

    // True when the share store answers a lookup (for /studyshare/health).
    bool StoreAnswers();

    // Which viewers recipients may be offered, from the plugins Orthanc runs.
    nlohmann::json DetectViewers() const;

  private:
    void SetUpTokenService();

    OrthancApi orthanc_;
    const StudyShareConfig config_;
    KeyRing keys_;
    StaffDirectory staff_;
    OpenedShareStore openedStore_;
    std::unique_ptr<CachingShareStore> store_;
    std::unique_ptr<OrthancResolver> resolver_;
    std::unique_ptr<CachingResolver> cachingResolver_;
    std::unique_ptr<OrthancStudyLabels> studyLabels_;
    std::unique_ptr<OrthancStudyCatalog> catalog_;
    std::unique_ptr<RequestGrammar> grammar_;
    std::unique_ptr<TokenVerifier> verifier_;
    std::unique_ptr<TokenSigner> signer_;
    std::unique_ptr<VerifiedTokenCache> tokenCache_;  // before gate_: the gate uses it
    std::unique_ptr<Gate> gate_;
    std::unique_ptr<ShareApi> shareApi_;
    std::unique_ptr<CurlSmtpSender> smtpSender_;
    std::unique_ptr<ShareMailer> mailer_;
    std::unique_ptr<ShareOpener> opener_;
    std::unique_ptr<ShortLinkKeys> shortLinks_;
    std::unique_ptr<EmailCodeMailer> emailCodeMailer_;
    std::unique_ptr<EmailCodes> emailCodes_;
    std::unique_ptr<StaffSessions> staffSessions_;
    std::unique_ptr<AuthTokenService> tokenService_;             // local mode
    std::unique_ptr<CurlTokenServiceTransport> tokenTransport_;  // remote mode
    std::unique_ptr<RemoteTokenAuthority> remoteAuthority_;      // remote mode
    std::unique_ptr<ExplorerTokenApi> explorerTokens_;
    std::unique_ptr<StaffApiKeys> apiKeys_;
    std::unique_ptr<ApiKeyApi> apiKeyApi_;
    std::unique_ptr<OrthancInboxArchive> inboxArchive_;
    std::unique_ptr<InboxReceiver> inbox_;
    std::unique_ptr<InboxNotifier> inboxNotifier_;
    std::unique_ptr<OrthancStudyCopier> copier_;
    std::unique_ptr<AnonymizationWorker> anonymizer_;  // last: stopped and destroyed before what it uses
  };
}
