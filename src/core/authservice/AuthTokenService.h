// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ApiResponse.h"
#include "AuthWireProtocol.h"
#include "IShareStore.h"
#include "PythonServiceToken.h"
#include "RequestGrammar.h"
#include "StaffDirectory.h"
#include "TokenSigner.h"
#include "TokenVerifier.h"
#include "ViewerLinks.h"

#include <functional>
#include <optional>

namespace studyshare
{
  struct TokenServiceSettings
  {
    std::string audience = "studyshare";
    PublicRoots roots;
    std::string serverId;  // SERVER_ID: when set, validations from another server are refused
    int64_t maxValidityDuration = 365LL * 24 * 3600;
    bool allowNeverExpiring = true;
    int64_t answerValiditySeconds = 10;  // the longest `validity` an answer carries (how long callers may cache it)
    std::string pythonTokenSecret;       // set: links the Python service signed with it keep working
  };

  // Issues MedDream's own tokens (MEDDREAM_TOKEN_SERVICE_URL); nothing when unreachable.
  using MedDreamTokenIssuer = std::function<std::optional<std::string>(const std::vector<SharedStudy>&)>;

  // The token web service of Orthanc's authorization plugin and Orthanc
  // Explorer 2, on StudyShare's shares: every token made here is a share in
  // the store, listed, audited and revoked like those made by staff. Bodies
  // in, status and kebab-case JSON out, independent of the HTTP server.
  class AuthTokenService
  {
  public:
    AuthTokenService(TokenServiceSettings settings, IShareStore& store, const TokenSigner& signer,
                     const TokenVerifier& verifier, const RequestGrammar& grammar, std::function<int64_t()> clock);

    void SetMedDreamTokenIssuer(MedDreamTokenIssuer issuer) { meddream_ = std::move(issuer); }

    struct Caller
    {
      std::string name;
      std::string clientAddress;
      std::string userAgent;
      bool authenticated = false;  // signed in with credentials: may name its client ("ip")
    };

    ApiResponse CreateToken(const std::string& pathType, const std::string& body, const Caller& caller);
    ApiResponse CreateLegacyShare(const std::string& body, const Caller& caller);
    // `headerToken`: the `token` HTTP header, which the authorization plugin also sends.
    ApiResponse Validate(const std::string& body, const std::string& headerToken, const Caller& caller);
    ApiResponse Decode(const std::string& body);
    ApiResponse GetProfile(const std::string& body, StaffDirectory& staff);

    struct Verdict
    {
      bool granted = false;
      int64_t validity = 0;
    };
    Verdict Decide(const ValidationQuery& query, const Caller& caller);

    struct Decoded
    {
      std::string tokenType;
      std::string errorCode;  // expired, invalid, unknown; empty when the token is good
      std::string redirectUrl;
      std::vector<SharedStudy> studies;
    };
    Decoded DecodeToken(const std::string& token);

    const TokenServiceSettings& GetSettings() const { return settings_; }

  private:
    ApiResponse Create(const TokenCreation& creation, const Caller& caller);
    Decoded DecodePythonToken(const std::string& token, int64_t now) const;
    Verdict DecidePythonToken(const ValidationQuery& query, const std::string& token, int64_t now) const;
    RouteAccess AccessOf(const ValidationQuery& query) const;
    // A resource of the query's level (study or series) that the share names.
    static bool ResourceGranted(const ValidationQuery& query, const std::vector<SharedStudy>& studies);
    std::optional<std::string> ViewerUrl(AuthTokenType type, const std::vector<SharedStudy>& studies,
                                         const std::string& token) const;

    const TokenServiceSettings settings_;
    IShareStore& store_;
    const TokenSigner& signer_;
    const TokenVerifier& verifier_;
    const RequestGrammar& grammar_;
    std::function<int64_t()> clock_;
    MedDreamTokenIssuer meddream_;
  };

  // The service's error answer: {"error", "message", "detail"}.
  ApiResponse WireError(int status, const std::string& message);
}
