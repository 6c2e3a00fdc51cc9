// SPDX-License-Identifier: GPL-3.0-or-later
// An in-process token service for tests: real keys, verifier, grammar and
// SQLite store (in a temporary file), a settable clock.
#pragma once

#include "AuthTokenService.h"
#include "GateWorld.h"
#include "RouteTable.h"
#include "ShareTokens.h"

#include <gtest/gtest.h>

namespace studyshare::test
{
  // "Basic <standard base64 with padding>", as browsers and Orthanc send it.
  inline std::string BasicCredentials(const std::string& user, const std::string& password)
  {
    std::string encoded = Base64UrlEncode(user + ":" + password);
    for (char& c : encoded)
    {
      c = c == '-' ? '+' : c == '_' ? '/' : c;
    }
    encoded.append((4 - encoded.size() % 4) % 4, '=');
    return "Basic " + encoded;
  }

  class TokenServiceWorld
  {
  public:
    static TokenServiceSettings DefaultSettings()
    {
      TokenServiceSettings settings;
      settings.audience = kAudience;
      settings.roots.orthancRoot = "https://pacs.example.org/orthanc/";
      settings.roots.ohifRoot = "https://pacs.example.org/ohif/";
      settings.roots.ownLandingUrl = "https://pacs.example.org/orthanc/share/";
      return settings;
    }

    explicit TokenServiceWorld(TokenServiceSettings settings = DefaultSettings())
      : sqlite(dir.File("shares.db")), store(sqlite), keys(GateWorld::MakeKeys()), verifier(keys, GatePolicy()),
        signer(keys), grammar(DefaultRouteTable(), GrammarSettings()),
        service(std::move(settings), store, signer, verifier, grammar, [this] { return now; })
    {
    }

    static nlohmann::json Resource(const std::string& orthancId, const std::string& dicomUid)
    {
      nlohmann::json resource = {{"level", "study"}};
      if (!orthancId.empty())
      {
        resource["orthanc-id"] = orthancId;
      }
      if (!dicomUid.empty())
      {
        resource["dicom-uid"] = dicomUid;
      }
      return resource;
    }

    static nlohmann::json CreationBody(const std::string& type, int64_t validity = 3600,
                                       const std::string& orthancId = kStudyA, const std::string& dicomUid = kStudyUidA)
    {
      return {{"resources", {Resource(orthancId, dicomUid)}}, {"type", type}, {"validity-duration", validity}};
    }

    ApiResponse Create(const std::string& type, const nlohmann::json& body)
    {
      return service.CreateToken(type, body.dump(), caller);
    }

    // A token made through PUT /tokens/{type}; empty (and a test failure) if refused.
    std::string TokenOf(const std::string& type, const nlohmann::json& body)
    {
      const ApiResponse response = Create(type, body);
      EXPECT_EQ(200, response.status) << response.body.dump();
      return response.status == 200 ? response.body.at("token").get<std::string>() : "";
    }

    // The share id (jti) of a token this service made.
    std::string ShareIdOf(const std::string& token) const
    {
      return verifier.Verify(token, TokenType::Share, now).claims.id;
    }

    // A share written straight to the store, and its link token.
    template <typename Edit>
    std::string AddShare(const std::string& id, Edit edit)
    {
      Share share;
      share.id = id;
      share.studies = {Study(kStudyA, kStudyUidA)};
      share.createdAt = kNow - 1000;
      share.expiresAt = kNow + 86400;
      share.tokenType = "stone-viewer-publication";
      edit(share);
      sqlite.Create(share, Event(id, share.createdAt, "create"));
      return IssueShareToken(signer, kAudience, share);
    }

    // POST /tokens/validate as the authorization plugin sends it for a study.
    static nlohmann::json PluginQuery(const std::string& token, const std::string& orthancId = kStudyA,
                                      const std::string& dicomUid = kStudyUidA, const std::string& level = "study",
                                      const std::string& method = "get")
    {
      return {{"level", level},       {"method", method},     {"orthanc-id", orthancId}, {"dicom-uid", dicomUid},
              {"token-key", "token"}, {"token-value", token}, {"server-id", nullptr}};
    }

    ApiResponse Validate(const nlohmann::json& query, const std::string& headerToken = "")
    {
      return service.Validate(query.dump(), headerToken, caller);
    }

    bool Granted(const nlohmann::json& query)
    {
      const ApiResponse response = Validate(query);
      EXPECT_EQ(200, response.status) << response.body.dump();
      return response.body.value("granted", false);
    }

    TempDir dir;
    SqliteShareStore sqlite;
    FlakyStore store;
    KeyRing keys;
    TokenVerifier verifier;
    TokenSigner signer;
    RequestGrammar grammar;
    int64_t now = kNow;
    AuthTokenService service;
    AuthTokenService::Caller caller{"orthanc", "192.0.2.7", "unit-test"};
  };
}
