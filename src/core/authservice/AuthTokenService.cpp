// SPDX-License-Identifier: GPL-3.0-or-later
#include "AuthTokenService.h"

#include "Crypto.h"
#include "IsoTime.h"
#include "ShareAuthentication.h"
#include "ShareTokens.h"
#include "TextUtilities.h"

#include <algorithm>

namespace studyshare
{
  namespace
  {
    using Json = nlohmann::json;

    bool IsRead(const std::string& method)
    {
      return method == "get" || method == "head";
    }
  }

  ApiResponse WireError(int status, const std::string& message)
  {
    // "detail" is where FastAPI clients of the Python service look.
    return {status, {{"error", status == 400 ? "bad-request" : "error"}, {"message", message}, {"detail", message}}};
  }

  AuthTokenService::AuthTokenService(TokenServiceSettings settings, IShareStore& store, const TokenSigner& signer,
                                     const TokenVerifier& verifier, const RequestGrammar& grammar,
                                     std::function<int64_t()> clock)
    : settings_(std::move(settings)), store_(store), signer_(signer), verifier_(verifier), grammar_(grammar),
      clock_(std::move(clock))
  {
  }

  ApiResponse AuthTokenService::CreateToken(const std::string& pathType, const std::string& body, const Caller& caller)
  {
    try
    {
      return Create(TokenCreation::ParseWire(pathType, body, clock_()), caller);
    }
    catch (const BadRequest& e)
    {
      return WireError(400, e.what());
    }
  }

  ApiResponse AuthTokenService::CreateLegacyShare(const std::string& body, const Caller& caller)
  {
    try
    {
      const TokenCreation creation = TokenCreation::ParseLegacyShare(body, clock_());
      if (creation.anonymized)
      {
        throw BadRequest(
          "'anonymized' shares are made by the StudyShare plugin (POST /studyshare/shares with \"Anonymize\": true): a "
          "token service cannot copy studies");
      }
      return Create(creation, caller);
    }
    catch (const BadRequest& e)
    {
      return WireError(400, e.what());
    }
  }

  ApiResponse AuthTokenService::Create(const TokenCreation& creation, const Caller& caller)
  {
    const int64_t now = clock_();
    if (!IsPublished(creation.type, settings_.roots))
    {
      throw BadRequest(std::string("links of type ") + ToString(creation.type) +
                       " are not published by this server (its public root is not configured)");
    }
    if (creation.type == AuthTokenType::MeddreamInstantLink && !meddream_)
    {
      throw BadRequest("meddream-instant-link needs MEDDREAM_TOKEN_SERVICE_URL");
    }
    if (!creation.expiresAt && !settings_.allowNeverExpiring)
    {
      throw BadRequest("this server requires an expiry: give 'validity-duration' or 'expiration-date'");
    }
    if (creation.expiresAt && *creation.expiresAt - now > settings_.maxValidityDuration)
    {
      throw BadRequest("the link would live longer than this server's maximum of " +
                       std::to_string(settings_.maxValidityDuration) + " seconds");
    }

    Share share;
    share.id = crypto::RandomId(16);
    share.createdAt = now;
    share.expiresAt = creation.expiresAt;
    share.permissions = PermissionsOf(creation.type);
    share.viewer = ViewerOf(creation.type);
    share.tokenType = ToString(creation.type);
    // StudyShare's plugin names the staff member it creates for, so sharers
    // can list and revoke their links; the caller is trusted with that as
    // with the token itself.
    share.createdBy = creation.createdBy.empty() ? caller.name : creation.createdBy;
    share.note = creation.id;
    for (const WireResource& resource : creation.resources)
    {
      SharedStudy study;
      study.orthancId = resource.orthancId;
      study.dicomUid = resource.dicomUid;
      study.level = resource.level;
      study.patientName = resource.patientName;
      study.patientId = resource.patientId;
      study.studyDate = resource.studyDate;
      study.studyDescription = resource.studyDescription;
      share.studies.push_back(study);
    }

    std::string token = IssueShareToken(signer_, settings_.audience, share);
    std::optional<std::string> url;
    if (creation.type == AuthTokenType::MeddreamInstantLink)
    {
      const auto meddreamToken = meddream_(share.studies);
      if (!meddreamToken)
      {
        return WireError(502, "the MedDream token service did not answer");
      }
      url = BuildViewerUrl(creation.type, share.studies, *meddreamToken, settings_.roots);
    }
    else
    {
      url = BuildShareLink(creation.type, share.studies, token, settings_.roots);
    }
    store_.Create(share, {share.id, now, "create", "success", share.createdBy, caller.clientAddress, caller.userAgent});

    Json request = creation.request;
    request["expiration-date"] = creation.expiresAt ? Json(FormatIsoTime(*creation.expiresAt)) : Json();
    return {200, {{"request", request}, {"token", token}, {"url", url ? Json(*url) : Json()}}};
  }

  ApiResponse AuthTokenService::Validate(const std::string& body, const std::string& headerToken, const Caller& caller)
  {
    try
    {
      ValidationQuery query = ValidationQuery::Parse(body);
      if (query.tokenValue.empty())
      {
        query.tokenValue = headerToken;
      }
      Caller asked = caller;
      if (caller.authenticated && !query.clientAddress.empty())
      {
        asked.clientAddress = query.clientAddress;
      }
      const Verdict verdict = Decide(query, asked);
      return {200, {{"granted", verdict.granted}, {"validity", verdict.validity}}};
    }
    catch (const BadRequest& e)
    {
      return WireError(400, e.what());
    }
  }

  AuthTokenService::Verdict AuthTokenService::Decide(const ValidationQuery& query, const Caller& caller)
  {
    const int64_t now = clock_();
    const Verdict refused = {false, settings_.answerValiditySeconds};
    // A server without an identifier is not the configured one either.
    if (!settings_.serverId.empty() && query.serverId != settings_.serverId)
    {
      return refused;
    }
    const std::string token = StripBearer(query.tokenValue);
    if (token.empty())
    {
      return refused;
    }
    const ShareAuthentication auth = AuthenticateShareToken(verifier_, store_, token, now);
    if (!auth.Succeeded())
    {
      if (auth.refusal->reason == DecisionReason::TokenRejected && !settings_.pythonTokenSecret.empty() &&
          auth.tokenStatus != TokenStatus::Expired)
      {
        return DecidePythonToken(query, token, now);
      }
      // Soon valid: a refusal that must not be cached.
      if (auth.tokenStatus == TokenStatus::NotYetValid)
      {
        return {false, 0};
      }
      return refused;
    }
    // A share only ever reads: unlike the Python service, the method is checked.
    if (!IsRead(query.method))
    {
      return refused;
    }
    const Share& share = *auth.share;
    const RouteAccess access = AccessOf(query);
    if (access == RouteAccess::StaffOnly || (access == RouteAccess::Download && !share.Has(Permission::Download)))
    {
      return refused;
    }

    bool granted = false;
    if (query.level == "study" || query.level == "series")
    {
      granted = ResourceGranted(query, share.studies);
    }
    else if (query.level == "system")
    {
      // Routes without patient data that viewers need (e.g. /system for Stone).
      granted = !query.uri.empty() && (access == RouteAccess::AnyShare || access == RouteAccess::Public);
    }
    // A study is granted by a share of that study, a series by a share of
    // that series (never by its study's: a link to one series must not open
    // the others). Instance and patient levels are never granted: this
    // service cannot see Orthanc's hierarchy. Callers ask about the parent
    // study (the authorization plugin with "CheckedLevel": "studies",
    // StudyShare's remote mode) or series ("CheckedLevel": "series").
    if (!granted)
    {
      return refused;
    }
    if (access == RouteAccess::Download)
    {
      store_.AppendAudit({share.id, now, "download", "success", "", caller.clientAddress, caller.userAgent});
    }

    int64_t validity = settings_.answerValiditySeconds;
    validity = std::min(validity, auth.claims->expiresAt - now);
    if (share.expiresAt)
    {
      validity = std::min(validity, *share.expiresAt - now);
    }
    return {true, std::max<int64_t>(validity, 0)};
  }

  RouteAccess AuthTokenService::AccessOf(const ValidationQuery& query) const
  {
    // Without a uri (the authorization plugin sends one only at the system
    // level) a question is about reading the study.
    return query.uri.empty() ? RouteAccess::Read : grammar_.ClassifyRoute(HttpMethod::Get, query.uri);
  }

  AuthTokenService::Verdict AuthTokenService::DecidePythonToken(const ValidationQuery& query, const std::string& token,
                                                                int64_t now) const
  {
    const Verdict refused = {false, settings_.answerValiditySeconds};
    const PythonTokenCheck check = ReadPythonServiceToken(token, settings_.pythonTokenSecret, now);
    if (check.status != PythonTokenStatus::Valid || !IsRead(query.method) || query.level != "study")
    {
      return refused;
    }
    const RouteAccess access = AccessOf(query);
    const bool downloads = (PermissionsOf(check.token.type) & static_cast<unsigned>(Permission::Download)) != 0;
    if (access == RouteAccess::StaffOnly || (access == RouteAccess::Download && !downloads) ||
        !ResourceGranted(query, check.token.studies))
    {
      return refused;
    }
    int64_t validity = settings_.answerValiditySeconds;
    if (check.token.expiresAt)
    {
      validity = std::min(validity, *check.token.expiresAt - now);
    }
    return {true, std::max<int64_t>(validity, 0)};
  }

  bool AuthTokenService::ResourceGranted(const ValidationQuery& query, const std::vector<SharedStudy>& studies)
  {
    if (query.orthancId.empty() && query.dicomUid.empty())
    {
      return false;
    }
    const std::string& level = query.level;
    // Every identifier both sides know must agree, and at least one must be
    // compared: a share made from a UID alone is matched by that UID.
    return std::any_of(studies.begin(), studies.end(),
                       [&](const SharedStudy& study)
                       {
                         if ((study.IsWholeStudy() ? "study" : study.level) != level)
                         {
                           return false;
                         }
                         bool compared = false;
                         for (const auto& [asked, known] : {std::pair{&query.orthancId, &study.orthancId},
                                                            std::pair{&query.dicomUid, &study.dicomUid}})
                         {
                           if (!asked->empty() && !known->empty())
                           {
                             if (*asked != *known)
                             {
                               return false;
                             }
                             compared = true;
                           }
                         }
                         return compared;
                       });
  }
}
