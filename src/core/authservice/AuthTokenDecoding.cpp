// SPDX-License-Identifier: GPL-3.0-or-later
#include "AuthTokenService.h"

#include "ShareAuthentication.h"

// POST /tokens/decode: what a link is and where it opens, for landing pages
// (Orthanc Explorer 2's, the authorization plugin's /auth/tokens/decode).
namespace studyshare
{
  namespace
  {
    using Json = nlohmann::json;

    Json OptionalText(const std::string& value)
    {
      return value.empty() ? Json() : Json(value);
    }

    Json DescribeResources(const std::vector<SharedStudy>& studies)
    {
      Json resources = Json::array();
      for (const SharedStudy& study : studies)
      {
        resources.push_back({{"level", study.IsWholeStudy() ? "study" : study.level},
                             {"orthanc-id", OptionalText(study.orthancId)},
                             {"dicom-uid", OptionalText(study.dicomUid)},
                             {"url", nullptr}});
      }
      return resources;
    }
  }

  std::optional<std::string> AuthTokenService::ViewerUrl(AuthTokenType type, const std::vector<SharedStudy>& studies,
                                                         const std::string& token) const
  {
    if (type == AuthTokenType::MeddreamViewerPublication || type == AuthTokenType::MeddreamInstantLink)
    {
      // MedDream opens with a token of its own, fresh at each opening.
      const auto meddreamToken = meddream_ ? meddream_(studies) : std::nullopt;
      return meddreamToken ? BuildViewerUrl(type, studies, *meddreamToken, settings_.roots) : std::nullopt;
    }
    return BuildViewerUrl(type, studies, token, settings_.roots);
  }

  AuthTokenService::Decoded AuthTokenService::DecodeToken(const std::string& rawToken)
  {
    Decoded decoded;
    const std::string token = StripBearer(rawToken);
    const int64_t now = clock_();
    const ShareAuthentication auth = AuthenticateShareToken(verifier_, store_, token, now);
    if (auth.share)
    {
      decoded.tokenType = auth.share->tokenType;
    }
    // Which studies a link names is told only for a link that opens them:
    // a dead or protected link says nothing about its patient.
    if (!auth.Succeeded())
    {
      switch (auth.refusal->reason)
      {
        case DecisionReason::ShareNeedsSession:
          // Protected shares open through StudyShare's landing page, which asks for the challenge.
          if (settings_.roots.ownLandingUrl.empty())
          {
            decoded.errorCode = "unknown";
          }
          else
          {
            decoded.redirectUrl = settings_.roots.ownLandingUrl + "#token=" + token;
          }
          return decoded;
        case DecisionReason::ShareExpired:
        case DecisionReason::ShareExhausted:
          decoded.errorCode = "expired";
          return decoded;
        case DecisionReason::TokenRejected:
          if (!settings_.pythonTokenSecret.empty() && auth.tokenStatus != TokenStatus::Expired)
          {
            return DecodePythonToken(token, now);
          }
          decoded.errorCode = auth.tokenStatus == TokenStatus::Expired ? "expired" : "invalid";
          return decoded;
        default:
          decoded.errorCode = "invalid";
          return decoded;
      }
    }
    if (auth.isSession)
    {
      decoded.errorCode = "invalid";
      return decoded;
    }
    decoded.studies = auth.share->studies;
    const auto type = ParseAuthTokenType(decoded.tokenType);
    std::optional<std::string> url;
    if (type && *type != AuthTokenType::ViewerInstantLink && *type != AuthTokenType::DownloadInstantLink)
    {
      url = ViewerUrl(*type, decoded.studies, token);
    }
    if (!url && !settings_.roots.ownLandingUrl.empty())
    {
      url = settings_.roots.ownLandingUrl + "#token=" + token;
    }
    if (url)
    {
      decoded.redirectUrl = *url;
    }
    else
    {
      decoded.errorCode = "unknown";
    }
    return decoded;
  }

  AuthTokenService::Decoded AuthTokenService::DecodePythonToken(const std::string& token, int64_t now) const
  {
    Decoded decoded;
    const PythonTokenCheck check = ReadPythonServiceToken(token, settings_.pythonTokenSecret, now);
    switch (check.status)
    {
      case PythonTokenStatus::Invalid:
        decoded.errorCode = "invalid";
        return decoded;
      case PythonTokenStatus::Expired:
        decoded.tokenType = ToString(check.token.type);
        decoded.errorCode = "expired";
        return decoded;
      case PythonTokenStatus::Valid:
        break;
    }
    decoded.tokenType = ToString(check.token.type);
    decoded.studies = check.token.studies;
    const auto url = ViewerUrl(check.token.type, decoded.studies, token);
    if (url)
    {
      decoded.redirectUrl = *url;
    }
    else
    {
      decoded.errorCode = "unknown";  // instant links open no viewer by themselves, as in the Python service
      decoded.studies.clear();
    }
    return decoded;
  }

  ApiResponse AuthTokenService::Decode(const std::string& body)
  {
    try
    {
      const DecodeQuery query = DecodeQuery::ParseWire(body);
      const Decoded decoded = DecodeToken(query.tokenValue);
      return {200,
              {{"token-type", OptionalText(decoded.tokenType)},
               {"error-code", OptionalText(decoded.errorCode)},
               {"redirect-url", OptionalText(decoded.redirectUrl)},
               {"resources", DescribeResources(decoded.studies)}}};
    }
    catch (const BadRequest& e)
    {
      return WireError(400, e.what());
    }
  }
}
