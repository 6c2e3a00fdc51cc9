// SPDX-License-Identifier: GPL-3.0-or-later
// POST /tokens/validate: what the token service grants, for how long callers
// may keep the answer, and what it refuses whatever the token.
#include "AuthTokenService.h"

#include "TokenServiceWorld.h"

#include <gtest/gtest.h>

using namespace studyshare;
using namespace studyshare::test;
using Json = nlohmann::json;

namespace
{
  class AuthTokenValidateTests : public ::testing::Test
  {
  protected:
    AuthTokenValidateTests()
      : token(world.TokenOf("stone-viewer-publication", TokenServiceWorld::CreationBody("stone-viewer-publication")))
    {
    }

    TokenServiceWorld world;
    const std::string token;
  };

  Json With(Json query, const char* key, const Json& value)
  {
    query[key] = value;
    return query;
  }

  std::string Tampered(std::string token)
  {
    char& c = token[token.size() - 3];  // a full six bits of the signature
    c = c == 'A' ? 'B' : 'A';
    return token;
  }

  Json Without(Json query, const char* key)
  {
    query.erase(key);
    return query;
  }
}

TEST_F(AuthTokenValidateTests, GrantsTheSharedStudyAsThePluginAsks)
{
  const ApiResponse response = world.Validate(TokenServiceWorld::PluginQuery(token));
  ASSERT_EQ(200, response.status) << response.body.dump();
  EXPECT_EQ(Json({{"granted", true}, {"validity", 10}}), response.body);

  EXPECT_TRUE(world.Granted(TokenServiceWorld::PluginQuery(token, kStudyA, "")));
  EXPECT_TRUE(world.Granted(TokenServiceWorld::PluginQuery(token, "", kStudyUidA)));
  EXPECT_TRUE(world.Granted(TokenServiceWorld::PluginQuery("Bearer " + token)));
  EXPECT_TRUE(world.Granted(TokenServiceWorld::PluginQuery(token, kStudyA, kStudyUidA, "study", "head")));
  EXPECT_TRUE(world.Granted(TokenServiceWorld::PluginQuery(token, kStudyA, kStudyUidA, "STUDY", "GET")));
}

TEST_F(AuthTokenValidateTests, RefusesEverythingElse)
{
  struct Case
  {
    const char* name;
    Json query;
  };
  const Json good = TokenServiceWorld::PluginQuery(token);
  const std::vector<Case> cases = {
    {"other_study", TokenServiceWorld::PluginQuery(token, kStudyB, kStudyUidB)},
    {"other_study_by_id", TokenServiceWorld::PluginQuery(token, kStudyB, "")},
    {"ids_of_two_studies", TokenServiceWorld::PluginQuery(token, kStudyA, kStudyUidB)},
    {"no_ids", TokenServiceWorld::PluginQuery(token, "", "")},
    {"series_level", With(good, "level", "series")},
    {"instance_level", With(good, "level", "instance")},
    {"patient_level", With(good, "level", "patient")},
    {"system_without_uri", TokenServiceWorld::PluginQuery(token, "", "", "system")},
    {"system_staff_route", With(TokenServiceWorld::PluginQuery(token, "", "", "system"), "uri", "/tools/find")},
    {"system_changes", With(TokenServiceWorld::PluginQuery(token, "", "", "system"), "uri", "/changes")},
    {"post", With(good, "method", "post")},
    {"put", With(good, "method", "put")},
    {"delete", With(good, "method", "delete")},
    {"anonymous", Without(Without(good, "token-value"), "token-key")},
    {"empty_token", With(good, "token-value", "")},
    {"bearer_only", With(good, "token-value", "Bearer ")},
    {"garbage_token", With(good, "token-value", "abc.def.ghi")},
    {"tampered_token", With(good, "token-value", Tampered(token))},
    {"staff_route_uri", With(good, "uri", "/studies/" + kStudyA + "/modify")},
    {"download_uri_without_download", With(good, "uri", "/studies/" + kStudyA + "/archive")},
  };
  for (const Case& c : cases)
  {
    const ApiResponse response = world.Validate(c.query);
    ASSERT_EQ(200, response.status) << c.name << ": " << response.body.dump();
    EXPECT_FALSE(response.body.at("granted").get<bool>()) << c.name;
    EXPECT_EQ(10, response.body.at("validity")) << c.name;
  }
}

TEST_F(AuthTokenValidateTests, MalformedQueriesAre400)
{
  const Json good = TokenServiceWorld::PluginQuery(token);
  for (const std::string& body :
       {std::string("not json"), std::string("[]"), Without(good, "level").dump(), Without(good, "method").dump(),
        With(good, "level", "studies").dump(), With(good, "method", "patch").dump(),
        With(good, "token-value", 1).dump(), With(good, "orthanc-id", Json::object()).dump()})
  {
    const ApiResponse response = world.service.Validate(body, "", world.caller);
    EXPECT_EQ(400, response.status) << body;
    EXPECT_FALSE(response.body.contains("granted")) << body;
  }
}

TEST_F(AuthTokenValidateTests, TheTokenHeaderStandsInForAMissingTokenValue)
{
  const Json anonymous = Without(TokenServiceWorld::PluginQuery(token), "token-value");
  EXPECT_TRUE(world.Validate(anonymous, token).body.at("granted").get<bool>());
  EXPECT_TRUE(world.Validate(anonymous, "Bearer " + token).body.at("granted").get<bool>());
  EXPECT_FALSE(world.Validate(anonymous, "").body.at("granted").get<bool>());
}

TEST_F(AuthTokenValidateTests, SystemRoutesWithoutPatientData)
{
  const Json system = With(TokenServiceWorld::PluginQuery(token, "", "", "system"), "uri", "/system");
  EXPECT_TRUE(world.Granted(system));
  EXPECT_FALSE(world.Granted(With(system, "token-value", "garbage"))) << "only for holders of a valid share";
}

TEST_F(AuthTokenValidateTests, ServerIdMustMatchWhenConfigured)
{
  TokenServiceSettings settings = TokenServiceWorld::DefaultSettings();
  settings.serverId = "node-1";
  TokenServiceWorld node(settings);
  const std::string nodeToken =
    node.TokenOf("stone-viewer-publication", TokenServiceWorld::CreationBody("stone-viewer-publication"));
  EXPECT_TRUE(node.Granted(With(TokenServiceWorld::PluginQuery(nodeToken), "server-id", "node-1")));
  EXPECT_FALSE(node.Granted(With(TokenServiceWorld::PluginQuery(nodeToken), "server-id", "node-2")));
  EXPECT_FALSE(node.Granted(TokenServiceWorld::PluginQuery(nodeToken))) << "no identifier is not the configured one";
  EXPECT_FALSE(node.Granted(With(TokenServiceWorld::PluginQuery(nodeToken), "server-id", "")));
  // Without SERVER_ID, whatever the caller calls itself is fine.
  EXPECT_TRUE(world.Granted(With(TokenServiceWorld::PluginQuery(token), "server-id", "node-2")));
}

TEST_F(AuthTokenValidateTests, ValidityNeverOutlivesTheShareOrTheToken)
{
  const std::string shortLived =
    world.TokenOf("stone-viewer-publication", TokenServiceWorld::CreationBody("stone-viewer-publication", 4));
  const ApiResponse response = world.Validate(TokenServiceWorld::PluginQuery(shortLived));
  EXPECT_TRUE(response.body.at("granted").get<bool>());
  EXPECT_EQ(4, response.body.at("validity"));

  world.now = kNow + 3;
  EXPECT_EQ(1, world.Validate(TokenServiceWorld::PluginQuery(shortLived)).body.at("validity"));
  world.now = kNow + 4;
  EXPECT_FALSE(world.Granted(TokenServiceWorld::PluginQuery(shortLived))) << "the share has expired";
}

TEST_F(AuthTokenValidateTests, RevocationAndShareStateAreSeenAtOnce)
{
  const std::string id = world.ShareIdOf(token);
  EXPECT_TRUE(world.Granted(TokenServiceWorld::PluginQuery(token)));
  ASSERT_TRUE(world.sqlite.Revoke(id, kNow, Event(id, kNow, "revoke")));
  EXPECT_FALSE(world.Granted(TokenServiceWorld::PluginQuery(token)));

  const std::string exhausted = world.AddShare("exhausted",
                                               [](Share& s)
                                               {
                                                 s.maxUses = 1;
                                                 s.uses = 1;
                                               });
  EXPECT_FALSE(world.Granted(TokenServiceWorld::PluginQuery(exhausted)));
  const std::string unknown = IssueShareToken(world.signer, kAudience,
                                              []
                                              {
                                                Share ghost;
                                                ghost.id = "ghost";
                                                ghost.createdAt = kNow;
                                                return ghost;
                                              }());
  EXPECT_FALSE(world.Granted(TokenServiceWorld::PluginQuery(unknown)));
}

TEST_F(AuthTokenValidateTests, ProtectedSharesOpenOnlyThroughASession)
{
  const std::string password = world.AddShare("password", [](Share& s) { s.passwordHash = "$argon2id$fake"; });
  EXPECT_FALSE(world.Granted(TokenServiceWorld::PluginQuery(password)));

  TokenClaims claims;
  claims.type = TokenType::Session;
  claims.id = "session-1";
  claims.shareId = "password";
  claims.audience = kAudience;
  claims.issuedAt = claims.notBefore = kNow - 10;
  claims.expiresAt = kNow + 600;
  EXPECT_TRUE(world.Granted(TokenServiceWorld::PluginQuery(world.signer.Issue(claims))));
}

TEST_F(AuthTokenValidateTests, DownloadsNeedDownloadAndAreAudited)
{
  const std::string volview =
    world.TokenOf("volview-viewer-publication", TokenServiceWorld::CreationBody("volview-viewer-publication"));
  const std::string id = world.ShareIdOf(volview);
  const size_t before = world.sqlite.ListAudit(id).size();
  EXPECT_TRUE(world.Granted(With(TokenServiceWorld::PluginQuery(volview), "uri", "/studies/" + kStudyA + "/archive")));
  const auto audit = world.sqlite.ListAudit(id);
  ASSERT_EQ(before + 1, audit.size());
  EXPECT_EQ("download", audit.back().event);
  EXPECT_EQ("192.0.2.7", audit.back().clientAddress);

  EXPECT_TRUE(world.Granted(With(TokenServiceWorld::PluginQuery(volview), "uri", "/studies/" + kStudyA)));
  EXPECT_EQ(before + 1, world.sqlite.ListAudit(id).size()) << "reads are not audited one by one";
}

TEST_F(AuthTokenValidateTests, ARefusalIsNotKeptPastTheMomentTheTokenBecomesValid)
{
  TokenServiceSettings settings = TokenServiceWorld::DefaultSettings();
  settings.answerValiditySeconds = 3600;
  TokenServiceWorld slow(settings);
  slow.AddShare("early", [](Share&) {});
  TokenClaims claims;
  claims.type = TokenType::Share;
  claims.id = "early";
  claims.audience = kAudience;
  claims.issuedAt = claims.notBefore = kNow + 100;
  claims.expiresAt = kNow + 7200;
  const ApiResponse response = slow.Validate(TokenServiceWorld::PluginQuery(slow.signer.Issue(claims)));
  EXPECT_FALSE(response.body.at("granted").get<bool>());
  EXPECT_LE(response.body.at("validity").get<int64_t>(), 100);
  EXPECT_GE(response.body.at("validity").get<int64_t>(), 0);
}

TEST_F(AuthTokenValidateTests, StoreFailuresReachTheCaller)
{
  world.store.failing = true;
  EXPECT_THROW(world.Validate(TokenServiceWorld::PluginQuery(token)), StoreUnavailable);
}

// The authorization plugin sends both `orthanc-id` and `dicom-uid` for every
// study it checks (and StudyShare's remote gate always sends `orthanc-id`).
// A token this service agreed to create must then be usable: either the
// creation is refused, or the plugin's question is granted.
TEST_F(AuthTokenValidateTests, ATokenItCreatesIsGrantedWhenThePluginAsks)
{
  struct Case
  {
    const char* name;
    std::string orthancId;
    std::string dicomUid;
  };
  for (const Case& c : {Case{"dicom_uid_only", "", kStudyUidA}, Case{"orthanc_id_only", kStudyA, ""}})
  {
    const ApiResponse created =
      world.Create("stone-viewer-publication",
                   TokenServiceWorld::CreationBody("stone-viewer-publication", 3600, c.orthancId, c.dicomUid));
    if (created.status != 200)
    {
      continue;  // refused at creation: fine
    }
    const std::string made = created.body.at("token");
    EXPECT_TRUE(world.Granted(TokenServiceWorld::PluginQuery(made, kStudyA, kStudyUidA)))
      << c.name << ": created, but the plugin's question (orthanc-id and dicom-uid of the shared study) is refused";
  }
}

// Issue 19: a series-level resource, as the Python service accepts it, grants
// that series when asked at the series level, and never its study.
TEST_F(AuthTokenValidateTests, ASeriesShareGrantsThatSeriesAndNeverItsStudy)
{
  Json body = TokenServiceWorld::CreationBody("viewer-instant-link", 3600, kSeriesA, kSeriesUidA);
  body["resources"][0]["level"] = "series";
  const std::string series = world.TokenOf("viewer-instant-link", body);
  ASSERT_FALSE(series.empty());

  const auto share = world.sqlite.Lookup(world.ShareIdOf(series));
  ASSERT_TRUE(share.has_value());
  ASSERT_EQ(1u, share->studies.size());
  EXPECT_EQ("series", share->studies[0].level) << "stored as a series";
  EXPECT_FALSE(share->studies[0].IsWholeStudy());

  EXPECT_TRUE(world.Granted(TokenServiceWorld::PluginQuery(series, kSeriesA, kSeriesUidA, "series")));
  EXPECT_TRUE(world.Granted(TokenServiceWorld::PluginQuery(series, kSeriesA, "", "series")));
  EXPECT_TRUE(world.Granted(TokenServiceWorld::PluginQuery(series, "", kSeriesUidA, "series")));
  EXPECT_FALSE(world.Granted(TokenServiceWorld::PluginQuery(series, kSeriesB, kSeriesUidB, "series")));
  EXPECT_FALSE(world.Granted(TokenServiceWorld::PluginQuery(series, kSeriesA, kSeriesUidB, "series")));
  EXPECT_FALSE(world.Granted(TokenServiceWorld::PluginQuery(series, kStudyA, kStudyUidA, "study")))
    << "the series' study is not shared";
  EXPECT_FALSE(world.Granted(TokenServiceWorld::PluginQuery(series, kSeriesA, kSeriesUidA, "study")))
    << "series identifiers asked as a study";
  EXPECT_FALSE(world.Granted(TokenServiceWorld::PluginQuery(series, kSeriesA, kSeriesUidA, "instance")));
  EXPECT_FALSE(world.Granted(TokenServiceWorld::PluginQuery(series, kSeriesA, kSeriesUidA, "patient")));

  const Json decoded = world.service.Decode(Json({{"token-key", "token"}, {"token-value", series}}).dump()).body;
  ASSERT_EQ(1u, decoded.at("resources").size()) << decoded.dump();
  EXPECT_EQ("series", decoded.at("resources").at(0).at("level"));
  EXPECT_EQ(kSeriesA, decoded.at("resources").at(0).at("orthanc-id"));
}
