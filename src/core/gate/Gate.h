// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "AccessDecision.h"
#include "AccessPolicy.h"
#include "DecisionCounters.h"
#include "HttpRequest.h"
#include "IRemoteAuthority.h"
#include "IShareStore.h"
#include "IStudyLabels.h"
#include "RequestGrammar.h"
#include "StaffApiKeys.h"
#include "StaffDirectory.h"
#include "StaffSessions.h"
#include "TokenVerifier.h"
#include "VerifiedTokenCache.h"

#include <functional>
#include <optional>
#include <string_view>

namespace studyshare
{
  struct GateSettings
  {
    std::string tokenHeader = "token";
    std::string tokenArgument = "token";
    std::string staffCookie = "studyshare-staff";
  };

  // Views into the request they were read from (valid while it lives):
  // reading them copies nothing.
  struct Credentials
  {
    std::optional<std::string_view> basicAuthorization;  // the "Basic ..." header, trimmed
    std::optional<std::string_view> apiKey;              // "Authorization: Bearer ssk_..."
    std::string_view token;                              // the first token the request carries
    size_t distinctTokens = 0;                           // 0, 1, or 2 for "two or more" (a conflict)
    std::optional<std::string_view> staffSession;        // the staff session cookie, if any
  };

  // The request path, in order: credentials → staff or token verification →
  // share state → request grammar → access policy. Never throws; Error
  // decisions are refusals.
  class Gate
  {
  public:
    Gate(GateSettings settings, const RequestGrammar& grammar, StaffDirectory& staff, const TokenVerifier& verifier,
         IShareStore& store, IResourceResolver& resolver, std::function<int64_t()> clock,
         StaffSessions* staffSessions = nullptr);

    AccessDecision Decide(const HttpRequest& request) noexcept;

    Credentials ExtractCredentials(const HttpRequest& request) const;

    // The staff user a request authenticates as (HTTP Basic, API key or session cookie), if any.
    std::optional<StaffUser> AuthenticateStaff(const HttpRequest& request);

    const DecisionCounters& GetCounters() const { return counters_; }

    // Remote mode: share and session tokens are judged by a token service;
    // staff, the grammar and the hierarchy stay decided here.
    void SetRemoteAuthority(IRemoteAuthority* remote) { remote_ = remote; }

    // Staff API keys; without them a key is refused like a bad password.
    void SetApiKeys(StaffApiKeys* apiKeys) { apiKeys_ = apiKeys; }

    // Where the labels of studies are read for sharers limited to labels and
    // shares by label; without it both are refused everything.
    void SetStudyLabels(IStudyLabels* labels)
    {
      studyLabels_ = labels;
      policy_.SetStudyLabels(labels);
    }
    // Tokens verified a moment ago are not verified again (local mode).
    void SetTokenCache(VerifiedTokenCache* cache) { tokenCache_ = cache; }

  private:
    AccessDecision DecideUnsafe(const HttpRequest& request);
    AccessDecision DecideStaff(const StaffUser& user, const HttpRequest& request);
    AccessDecision DecideForApiKey(const Credentials& credentials, const HttpRequest& request);
    AccessDecision DecideForStaffSession(std::string_view session, const HttpRequest& request);
    AccessDecision DecideForToken(std::string_view token, const RequestTarget& target, const HttpRequest& request);
    AccessDecision DecideRemotely(std::string_view token, const RequestTarget& target, const HttpRequest& request);
    AccessDecision AskRemote(RemoteQuestion question);

    const GateSettings settings_;
    const RequestGrammar& grammar_;
    StaffDirectory& staff_;
    const TokenVerifier& verifier_;
    IShareStore& store_;
    IResourceResolver& resolver_;
    AccessPolicy policy_;
    std::function<int64_t()> clock_;
    StaffSessions* staffSessions_;
    DecisionCounters counters_;
    IRemoteAuthority* remote_ = nullptr;
    StaffApiKeys* apiKeys_ = nullptr;
    IStudyLabels* studyLabels_ = nullptr;
    VerifiedTokenCache* tokenCache_ = nullptr;
  };
}
