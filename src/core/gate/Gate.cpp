// SPDX-License-Identifier: GPL-3.0-or-later
#include "Gate.h"

#include "ShareAuthentication.h"
#include "StaffAccessRules.h"
#include "StaffLabelRules.h"
#include "TextUtilities.h"

#include <algorithm>
#include <cctype>
#include <chrono>

namespace studyshare
{
  namespace
  {
    bool LooksLikeCompactJws(std::string_view token)
    {
      constexpr size_t kMaxTokenBytes = 8192;
      size_t dots = 0;
      for (char c : token)
      {
        if (c == '.')
        {
          dots++;
        }
        else if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_')
        {
          return false;
        }
      }
      return dots == 2 && token.size() <= kMaxTokenBytes;
    }

    void AddToken(Credentials& credentials, std::string_view raw)
    {
      const std::string_view value = BearerValue(raw);
      if (credentials.distinctTokens == 0)
      {
        credentials.token = value;
        credentials.distinctTokens = 1;
      }
      else if (value != credentials.token)
      {
        credentials.distinctTokens = 2;
      }
    }

    // The value of the last `name=value` pair of a Cookie header named `name`.
    void ReadCookie(std::string_view header, std::string_view name, std::optional<std::string_view>& value)
    {
      while (true)
      {
        const size_t end = header.find(';');
        const std::string_view pair = header.substr(0, end);
        const size_t equal = pair.find('=');
        if (equal != std::string_view::npos && TrimView(pair.substr(0, equal)) == name)
        {
          value = TrimView(pair.substr(equal + 1));
        }
        if (end == std::string_view::npos)
        {
          return;
        }
        header.remove_prefix(end + 1);
      }
    }
  }

  Gate::Gate(GateSettings settings, const RequestGrammar& grammar, StaffDirectory& staff, const TokenVerifier& verifier,
             IShareStore& store, IResourceResolver& resolver, std::function<int64_t()> clock,
             StaffSessions* staffSessions)
    : settings_(std::move(settings)), grammar_(grammar), staff_(staff), verifier_(verifier), store_(store),
      resolver_(resolver), policy_(resolver), clock_(std::move(clock)), staffSessions_(staffSessions)
  {
  }

  Credentials Gate::ExtractCredentials(const HttpRequest& request) const
  {
    Credentials credentials;
    const bool tokenHeaderIsAuthorization = EqualsIgnoreCase(settings_.tokenHeader, "authorization");
    for (const auto& [key, value] : request.headers)
    {
      if (EqualsIgnoreCase(key, "authorization"))
      {
        if (IsBasicAuthorization(value))
        {
          credentials.basicAuthorization = TrimView(value);
        }
        else if (StaffApiKeys::LooksLikeApiKey(BearerValue(value)))
        {
          credentials.apiKey = BearerValue(value);
        }
        else
        {
          AddToken(credentials, value);
        }
      }
    }
    // A second pass keeps the order of the rules above: Authorization first.
    for (const auto& [key, value] : request.headers)
    {
      if (!tokenHeaderIsAuthorization && EqualsIgnoreCase(key, settings_.tokenHeader))
      {
        AddToken(credentials, value);
      }
      else if (EqualsIgnoreCase(key, "cookie"))
      {
        ReadCookie(value, settings_.staffCookie, credentials.staffSession);
      }
    }
    for (const auto& [key, value] : request.arguments)
    {
      if (key == settings_.tokenArgument)
      {
        AddToken(credentials, value);
      }
    }
    return credentials;
  }

  std::optional<StaffUser> Gate::AuthenticateStaff(const HttpRequest& request)
  {
    const Credentials credentials = ExtractCredentials(request);
    if (credentials.basicAuthorization)
    {
      return staff_.CheckBasic(std::string(*credentials.basicAuthorization), request.clientAddress).user;
    }
    if (credentials.apiKey)
    {
      return apiKeys_ ? apiKeys_->Check(std::string(*credentials.apiKey), request.clientAddress).user : std::nullopt;
    }
    if (credentials.staffSession && staffSessions_ != nullptr)
    {
      return staffSessions_->Lookup(std::string(*credentials.staffSession), clock_());
    }
    return std::nullopt;
  }

  AccessDecision Gate::DecideStaff(const StaffUser& user, const HttpRequest& request)
  {
    AccessDecision decision = DecideForStaff(user, request.method, request.uri);
    if (!decision.Permits() || user.role == StaffRole::Admin)
    {
      return decision;
    }
    const std::vector<std::string> labels = staff_.LabelsOf(user.name);
    if (labels.empty())
    {
      return decision;
    }
    if (studyLabels_ == nullptr)
    {
      return AccessDecision::Deny(DecisionReason::StaffRoleForbids, user.name + ": labels cannot be read here");
    }
    return StaffLabelRules(grammar_, resolver_, *studyLabels_).Decide(user.name, labels, request);
  }

  AccessDecision Gate::DecideForApiKey(const Credentials& credentials, const HttpRequest& request)
  {
    // A key with anything else that names a caller is ambiguous: refused.
    if (credentials.basicAuthorization || credentials.distinctTokens > 0)
    {
      return AccessDecision::Deny(DecisionReason::ConflictingTokens, "API key with other credentials");
    }
    if (apiKeys_ == nullptr)
    {
      return AccessDecision::Deny(DecisionReason::BadStaffCredentials, "API keys are not enabled");
    }
    const StaffCheck check = apiKeys_->Check(std::string(*credentials.apiKey), request.clientAddress);
    switch (check.refusal)
    {
      case StaffRefusal::None:
        return DecideStaff(*check.user, request);
      case StaffRefusal::RateLimited:
        return AccessDecision::Deny(DecisionReason::StaffRateLimited, "API key");
      case StaffRefusal::Busy:
      case StaffRefusal::WrongCredentials:
        break;
    }
    return AccessDecision::Deny(DecisionReason::BadStaffCredentials, "unknown, expired or revoked API key");
  }

  AccessDecision Gate::DecideForStaffSession(std::string_view session, const HttpRequest& request)
  {
    auto user = staffSessions_ ? staffSessions_->Lookup(std::string(session), clock_()) : std::nullopt;
    if (!user)
    {
      return AccessDecision::Deny(DecisionReason::BadStaffCredentials, "unknown or idle staff session");
    }
    // A cookie rides along with cross-site requests; a custom header cannot
    // be added by another site without CORS, which Orthanc does not grant.
    // Nor can a page set Sec-Fetch-Site: the browser says "same-origin" only
    // for this origin's own pages (Orthanc Explorer 2 adds no custom header).
    const std::vector<std::string> fetchSite = request.HeaderValues("sec-fetch-site");
    const bool sameOrigin = fetchSite.size() == 1 && fetchSite[0] == "same-origin";
    if (request.method != HttpMethod::Get && request.HeaderValues("x-requested-with").empty() && !sameOrigin)
    {
      return AccessDecision::Deny(DecisionReason::CsrfCheckFailed, user->name);
    }
    return DecideStaff(*user, request);
  }

  AccessDecision Gate::Decide(const HttpRequest& request) noexcept
  {
    const auto started = std::chrono::steady_clock::now();
    AccessDecision decision;
    try
    {
      decision = DecideUnsafe(request);
    }
    catch (const StoreUnavailable& e)
    {
      decision = AccessDecision::Fail(DecisionReason::StoreUnavailable, e.what());
    }
    catch (const std::exception& e)
    {
      decision = AccessDecision::Fail(DecisionReason::InternalError, e.what());
    }
    catch (...)
    {
      decision = AccessDecision::Fail(DecisionReason::InternalError, "unknown exception");
    }
    counters_.Count(decision, request.uri,
                    std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    return decision;
  }

  AccessDecision Gate::DecideUnsafe(const HttpRequest& request)
  {
    const RequestTarget target = grammar_.Read(request.method, request.uri, request.arguments);
    if (target.access == RouteAccess::Public && !target.IsAmbiguous())
    {
      return AccessDecision::Allow(DecisionReason::PublicRoute, std::string(target.route));
    }

    const Credentials credentials = ExtractCredentials(request);
    if (credentials.apiKey)
    {
      return DecideForApiKey(credentials, request);
    }
    if (credentials.basicAuthorization)
    {
      const StaffCheck check = staff_.CheckBasic(std::string(*credentials.basicAuthorization), request.clientAddress);
      switch (check.refusal)
      {
        case StaffRefusal::None:
          return DecideStaff(*check.user, request);
        case StaffRefusal::RateLimited:
          return AccessDecision::Deny(DecisionReason::StaffRateLimited, "HTTP Basic");
        case StaffRefusal::Busy:
          return AccessDecision::Deny(DecisionReason::StaffBusy, "HTTP Basic");
        case StaffRefusal::WrongCredentials:
          break;
      }
      return AccessDecision::Deny(DecisionReason::BadStaffCredentials);
    }
    if (credentials.distinctTokens == 0)
    {
      if (credentials.staffSession)
      {
        return DecideForStaffSession(*credentials.staffSession, request);
      }
      return AccessDecision::Deny(DecisionReason::NoCredentials, std::string(target.route));
    }
    if (credentials.distinctTokens > 1)
    {
      return AccessDecision::Deny(DecisionReason::ConflictingTokens, std::string(target.route));
    }
    return DecideForToken(credentials.token, target, request);
  }

  AccessDecision Gate::DecideForToken(std::string_view token, const RequestTarget& target, const HttpRequest& request)
  {
    if (remote_ != nullptr)
    {
      return DecideRemotely(token, target, request);
    }
    const int64_t now = clock_();
    const ShareAuthentication auth = AuthenticateShareToken(verifier_, store_, token, now, tokenCache_);
    if (!auth.Succeeded())
    {
      return *auth.refusal;
    }
    const std::string& shareId = auth.share->id;
    AccessDecision decision = policy_.Decide(target, *auth.share);
    if (decision.Permits() && target.access == RouteAccess::Download)
    {
      store_.AppendAudit({shareId, now, "download", "success", "", request.clientAddress, request.UserAgent()});
    }
    if (!decision.Permits())  // an allowed request is not logged: no text for it
    {
      decision.detail = "share " + shareId + " " + decision.detail;
    }
    return decision;
  }

  AccessDecision Gate::AskRemote(RemoteQuestion question)
  {
    const RemoteAnswer answer = remote_->Ask(question);
    switch (answer.verdict)
    {
      case RemoteVerdict::Granted:
        return AccessDecision::Allow(DecisionReason::ShareGrant, answer.detail);
      case RemoteVerdict::Denied:
        return AccessDecision::Deny(DecisionReason::RemoteRefused, answer.detail);
      case RemoteVerdict::Unavailable:
        break;
    }
    return AccessDecision::Fail(DecisionReason::RemoteUnavailable, answer.detail);
  }

  AccessDecision Gate::DecideRemotely(std::string_view token, const RequestTarget& target, const HttpRequest& request)
  {
    // Garbage costs the service nothing: only what could be a compact JWS is asked about.
    if (!LooksLikeCompactJws(token))
    {
      return AccessDecision::Deny(DecisionReason::TokenRejected, "not a compact JWS");
    }
    // The same rules as in local mode: what the grammar refuses is refused
    // here without asking, and every named resource is mapped to its study
    // through Orthanc's own database before the service is asked about it.
    if (target.IsAmbiguous())
    {
      return AccessDecision::Deny(DecisionReason::AmbiguousRequest, std::string(target.route) + ": " + target.problem);
    }
    RemoteQuestion question;
    question.token = std::string(token);
    question.method = request.method;
    question.uri = request.uri;
    question.clientAddress = request.clientAddress;
    // The service classifies by `uri` alone: a WADO-URI retrieval of the DICOM
    // object carries the one argument that makes it a download.
    if (target.access == RouteAccess::Download &&
        grammar_.ClassifyRoute(request.method, request.uri) == RouteAccess::WadoUri)
    {
      question.uri += "?contentType=application/dicom";
    }
    question.access = target.access;
    switch (target.access)
    {
      case RouteAccess::Public:
        return AccessDecision::Allow(DecisionReason::PublicRoute, std::string(target.route));
      case RouteAccess::StaffOnly:
        return AccessDecision::Deny(DecisionReason::RouteNotShareable, std::string(target.route));
      case RouteAccess::AnyShare:
        question.level = "system";
        return AskRemote(question);
      default:
        break;
    }
    if (target.resources.empty())
    {
      return AccessDecision::Deny(DecisionReason::AmbiguousRequest, std::string(target.route) + " names no resource");
    }
    std::vector<std::pair<std::string, std::string>> studies;  // Orthanc ID, DICOM UID if the request gave it
    for (const ResourceView& resource : target.resources)
    {
      if (resource.level == ResourceLevel::Patient)
      {
        return AccessDecision::Deny(DecisionReason::RouteNotShareable,
                                    std::string(target.route) + ": patient-level resource");
      }
      const std::string uid =
        resource.level == ResourceLevel::Study && resource.kind == IdKind::DicomUid ? std::string(resource.value) : "";
      if (resource.level == ResourceLevel::Study && resource.kind == IdKind::OrthancId)
      {
        studies.emplace_back(std::string(resource.value), uid);
        continue;
      }
      const Resolution resolution = resolver_.ResolveStudies(resource);
      if (resolution.status == ResolutionStatus::Unavailable)
      {
        return AccessDecision::Fail(DecisionReason::ResolverUnavailable, std::string(target.route));
      }
      if (resolution.status == ResolutionStatus::NotFound || resolution.studies.empty())
      {
        return AccessDecision::Deny(DecisionReason::ResourceNotFound, std::string(target.route));
      }
      for (const std::string& study : resolution.studies)
      {
        studies.emplace_back(study, uid);
      }
    }
    // One question per study, in the order the request names them (the
    // service audits each download it grants), with the UID the request gave.
    std::vector<std::pair<std::string, std::string>> questions;
    for (const auto& study : studies)
    {
      auto same = std::find_if(questions.begin(), questions.end(),
                               [&study](const auto& asked)
                               {
                                 return asked.first == study.first &&
                                        (asked.second.empty() || study.second.empty() || asked.second == study.second);
                               });
      if (same == questions.end())
      {
        questions.push_back(study);
      }
      else if (same->second.empty())
      {
        same->second = study.second;
      }
    }
    studies = std::move(questions);
    for (const auto& [orthancId, dicomUid] : studies)
    {
      question.level = "study";
      question.orthancId = orthancId;
      question.dicomUid = dicomUid;
      AccessDecision decision = AskRemote(question);
      if (!decision.Permits())
      {
        decision.detail = std::string(target.route) + ": study " + orthancId + " " + decision.detail;
        return decision;
      }
    }
    return AccessDecision::Allow(DecisionReason::ShareGrant, std::string(target.route) + " (token service)");
  }
}
