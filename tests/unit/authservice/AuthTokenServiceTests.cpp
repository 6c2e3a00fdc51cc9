// SPDX-License-Identifier: GPL-3.0-or-later
// The token service's creation, decoding and profile routes: every token is
// a share in the store; malformed or unpublishable requests store nothing.
#include "AuthTokenService.h"

#include "IsoTime.h"
#include "TokenServiceWorld.h"

#include <gtest/gtest.h>

using namespace studyshare;
using namespace studyshare::test;
using Json = nlohmann::json;

namespace
{
  size_t StoredShares(TokenServiceWorld& world)
  {
    return world.sqlite.List(ShareFilter()).size();
  }

  bool Mentions(const ApiResponse& response, const std::string& part)
  {
    return response.body.value("message", "").find(part) != std::string::npos &&
           response.body.value("detail", "") == response.body.value("message", "");
  }
}

TEST(AuthTokenServiceTests, CreateStoresAShareAndAnswersAsThePythonService)
{
  TokenServiceWorld world;
  Json body = TokenServiceWorld::CreationBody("ohif-viewer-publication", 3600);
  body["id"] = "for dr. who";
  const ApiResponse response = world.Create("ohif-viewer-publication", body);
  ASSERT_EQ(200, response.status) << response.body.dump();
  const std::string token = response.body.at("token");
  EXPECT_EQ("https://pacs.example.org/orthanc/share/#token=" + token, response.body.at("url"));
  EXPECT_EQ(FormatIsoTime(kNow + 3600), response.body.at("request").at("expiration-date"));
  EXPECT_EQ("ohif-viewer-publication", response.body.at("request").at("type"));

  const TokenCheck check = world.verifier.Verify(token, TokenType::Share, kNow);
  ASSERT_EQ(TokenStatus::Valid, check.status) << ToString(check.status);
  EXPECT_EQ(kNow + 3600, check.claims.expiresAt);
  const auto share = world.sqlite.Lookup(check.claims.id);
  ASSERT_TRUE(share.has_value());
  EXPECT_EQ("ohif-viewer-publication", share->tokenType);
  EXPECT_EQ("ohif", share->viewer);
  EXPECT_EQ(static_cast<unsigned>(Permission::View), share->permissions);
  EXPECT_EQ("orthanc", share->createdBy);
  EXPECT_EQ("for dr. who", share->note);
  EXPECT_EQ(kNow + 3600, share->expiresAt);
  ASSERT_EQ(1u, share->studies.size());
  EXPECT_EQ(kStudyA, share->studies[0].orthancId);
  EXPECT_EQ(kStudyUidA, share->studies[0].dicomUid);
  EXPECT_TRUE(share->OpensDirectly());
  const auto audit = world.sqlite.ListAudit(share->id);
  ASSERT_FALSE(audit.empty());
  EXPECT_EQ("create", audit.front().event);
  EXPECT_EQ("orthanc", audit.front().actor);

  // Every token is a new share.
  const ApiResponse again = world.Create("ohif-viewer-publication", body);
  EXPECT_NE(token, again.body.value("token", ""));
  EXPECT_EQ(2u, StoredShares(world));
}

TEST(AuthTokenServiceTests, TheStaffMemberBehindThePluginOwnsTheShare)
{
  TokenServiceWorld world;
  Json body = TokenServiceWorld::CreationBody("stone-viewer-publication", 3600);
  body["created-by"] = "alice";
  const ApiResponse response = world.Create("stone-viewer-publication", body);
  ASSERT_EQ(200, response.status) << response.body.dump();
  const auto share = world.sqlite.Lookup(world.ShareIdOf(response.body.at("token")));
  ASSERT_TRUE(share.has_value());
  EXPECT_EQ("alice", share->createdBy) << "so alice, a sharer, can list and revoke it";
  EXPECT_EQ("alice", world.sqlite.ListAudit(share->id).front().actor);

  body["created-by"] = std::string(129, 'a');
  EXPECT_EQ(400, world.Create("stone-viewer-publication", body).status);
  body["created-by"] = 5;
  EXPECT_EQ(400, world.Create("stone-viewer-publication", body).status);
}

TEST(AuthTokenServiceTests, NeverExpiringAndInstantLinks)
{
  TokenServiceWorld world;
  const ApiResponse never =
    world.Create("stone-viewer-publication", TokenServiceWorld::CreationBody("stone-viewer-publication", 0));
  ASSERT_EQ(200, never.status) << never.body.dump();
  EXPECT_TRUE(never.body.at("request").at("expiration-date").is_null());
  const auto share = world.sqlite.Lookup(world.ShareIdOf(never.body.at("token")));
  ASSERT_TRUE(share.has_value());
  EXPECT_FALSE(share->expiresAt.has_value());

  const ApiResponse download =
    world.Create("download-instant-link", TokenServiceWorld::CreationBody("download-instant-link", 200));
  ASSERT_EQ(200, download.status) << download.body.dump();
  EXPECT_TRUE(download.body.at("url").is_null()) << "the caller appends ?token= to its own link";
  const auto downloadShare = world.sqlite.Lookup(world.ShareIdOf(download.body.at("token")));
  ASSERT_TRUE(downloadShare.has_value());
  EXPECT_TRUE(downloadShare->Has(Permission::Download));
}

TEST(AuthTokenServiceTests, RefusedCreationsStoreNothing)
{
  TokenServiceSettings strict = TokenServiceWorld::DefaultSettings();
  strict.allowNeverExpiring = false;
  strict.maxValidityDuration = 7 * 86400;
  strict.roots.ohifRoot.clear();
  strict.roots.meddreamRoot = "https://md.example.org/";
  TokenServiceWorld world(strict);

  struct Case
  {
    const char* name;
    std::string type;
    std::string body;
    const char* messagePart;
  };
  const Json stone = TokenServiceWorld::CreationBody("stone-viewer-publication", 3600);
  Json typeDiffers = stone;
  typeDiffers["type"] = "osimis-viewer-publication";
  const std::vector<Case> cases = {
    {"not_json", "stone-viewer-publication", "{", "JSON object"},
    {"empty_object", "stone-viewer-publication", "{}", "'resources'"},
    {"unknown_type", "invalid", stone.dump(), "unknown token type"},
    {"type_differs", "stone-viewer-publication", typeDiffers.dump(), "URL says"},
    {"not_published", "ohif-viewer-publication", TokenServiceWorld::CreationBody("ohif-viewer-publication").dump(),
     "not published"},
    {"meddream_without_issuer", "meddream-instant-link",
     TokenServiceWorld::CreationBody("meddream-instant-link").dump(), "MEDDREAM_TOKEN_SERVICE_URL"},
    {"never_expiring_refused", "stone-viewer-publication",
     TokenServiceWorld::CreationBody("stone-viewer-publication", 0).dump(), "requires an expiry"},
    {"too_long", "stone-viewer-publication",
     TokenServiceWorld::CreationBody("stone-viewer-publication", 8 * 86400).dump(), "maximum"},
    {"patient_level", "stone-viewer-publication",
     Json({{"resources", {{{"level", "patient"}, {"orthanc-id", kPatientA}}}}}).dump(), "must be study"},
  };
  for (const Case& c : cases)
  {
    const ApiResponse response = world.service.CreateToken(c.type, c.body, world.caller);
    EXPECT_EQ(400, response.status) << c.name;
    EXPECT_TRUE(Mentions(response, c.messagePart)) << c.name << ": " << response.body.dump();
    EXPECT_FALSE(response.body.contains("token")) << c.name;
  }
  EXPECT_EQ(0u, StoredShares(world));
}

TEST(AuthTokenServiceTests, MedDreamInstantLinksCarryMedDreamsOwnToken)
{
  TokenServiceSettings settings = TokenServiceWorld::DefaultSettings();
  settings.roots.meddreamRoot = "https://md.example.org/";
  TokenServiceWorld world(settings);
  std::vector<SharedStudy> asked;
  std::optional<std::string> answer = "md-token-1";
  world.service.SetMedDreamTokenIssuer(
    [&](const std::vector<SharedStudy>& studies)
    {
      asked = studies;
      return answer;
    });

  const ApiResponse response =
    world.Create("meddream-instant-link", TokenServiceWorld::CreationBody("meddream-instant-link"));
  ASSERT_EQ(200, response.status) << response.body.dump();
  EXPECT_EQ("https://md.example.org/?study=" + kStudyUidA + "&token=md-token-1", response.body.at("url"));
  ASSERT_EQ(1u, asked.size());
  EXPECT_EQ(kStudyUidA, asked[0].dicomUid);
  EXPECT_EQ(TokenStatus::Valid,
            world.verifier.Verify(response.body.at("token").get<std::string>(), TokenType::Share, kNow).status);
  EXPECT_EQ(1u, StoredShares(world));

  answer.reset();
  const ApiResponse down =
    world.Create("meddream-instant-link", TokenServiceWorld::CreationBody("meddream-instant-link"));
  EXPECT_EQ(502, down.status);
  EXPECT_EQ(1u, StoredShares(world)) << "no share without a working link";
}

TEST(AuthTokenServiceTests, LegacyShares)
{
  TokenServiceWorld world;
  const Json body = {{"type", "stone-viewer"},
                     {"studies", {{{"dicom-uid", kStudyUidA}, {"orthanc-id", kStudyA}}}},
                     {"expiration-date", FormatIsoTime(kNow + 600)}};
  const ApiResponse response = world.service.CreateLegacyShare(body.dump(), world.caller);
  ASSERT_EQ(200, response.status) << response.body.dump();
  EXPECT_TRUE(response.body.at("request").contains("studies"));
  EXPECT_EQ(FormatIsoTime(kNow + 600), response.body.at("request").at("expiration-date"));
  const auto share = world.sqlite.Lookup(world.ShareIdOf(response.body.at("token")));
  ASSERT_TRUE(share.has_value());
  EXPECT_EQ("stone-viewer-publication", share->tokenType);

  Json anonymized = body;
  anonymized["anonymized"] = true;
  const ApiResponse refused = world.service.CreateLegacyShare(anonymized.dump(), world.caller);
  EXPECT_EQ(400, refused.status);
  EXPECT_TRUE(Mentions(refused, "anonymized")) << refused.body.dump();
  EXPECT_EQ(400, world.service.CreateLegacyShare(R"({"type":"stone-viewer"})", world.caller).status);
  EXPECT_EQ(1u, StoredShares(world));
}

TEST(AuthTokenServiceTests, DecodeRedirectsToTheViewerWithTheSameToken)
{
  TokenServiceWorld world;
  const std::string token =
    world.TokenOf("stone-viewer-publication", TokenServiceWorld::CreationBody("stone-viewer-publication"));
  const ApiResponse response =
    world.service.Decode(Json({{"token-key", "token"}, {"token-value", "Bearer " + token}}).dump());
  ASSERT_EQ(200, response.status) << response.body.dump();
  EXPECT_EQ("stone-viewer-publication", response.body.at("token-type"));
  EXPECT_TRUE(response.body.at("error-code").is_null());
  EXPECT_EQ("https://pacs.example.org/orthanc/stone-webviewer/index.html?study=" + kStudyUidA +
              "&selectedStudies=" + kStudyUidA + "&token=" + token,
            response.body.at("redirect-url"));
  ASSERT_EQ(1u, response.body.at("resources").size());
  EXPECT_EQ(kStudyA, response.body.at("resources").at(0).at("orthanc-id"));
  EXPECT_EQ(kStudyUidA, response.body.at("resources").at(0).at("dicom-uid"));
  EXPECT_EQ("study", response.body.at("resources").at(0).at("level"));
}

TEST(AuthTokenServiceTests, DecodeErrors)
{
  TokenServiceWorld world;
  const std::string token =
    world.TokenOf("stone-viewer-publication", TokenServiceWorld::CreationBody("stone-viewer-publication", 60));

  auto decode = [&](const std::string& value) { return world.service.DecodeToken(value); };
  const auto garbage = decode("not-a-token");
  EXPECT_EQ("invalid", garbage.errorCode);
  EXPECT_TRUE(garbage.studies.empty());
  EXPECT_TRUE(garbage.redirectUrl.empty());
  EXPECT_EQ("invalid", decode("").errorCode);
  EXPECT_EQ("invalid", decode(world.AddShare("session-owner", [](Share&) {}) + "x").errorCode);
  {
    TokenClaims claims;
    claims.type = TokenType::Session;
    claims.id = "s-1";
    claims.shareId = "session-owner";
    claims.audience = kAudience;
    claims.issuedAt = claims.notBefore = kNow;
    claims.expiresAt = kNow + 600;
    EXPECT_EQ("invalid", decode(world.signer.Issue(claims)).errorCode) << "sessions are not links";
  }

  const std::string revoked = world.AddShare("revoked", [](Share& s) { s.revokedAt = kNow - 1; });
  EXPECT_EQ("invalid", decode(revoked).errorCode);
  EXPECT_TRUE(decode(revoked).studies.empty());

  world.now = kNow + 3600;  // the token itself has expired
  const auto expired = decode(token);
  EXPECT_EQ("expired", expired.errorCode);
  EXPECT_TRUE(expired.redirectUrl.empty());
  EXPECT_TRUE(expired.studies.empty());

  EXPECT_EQ(400, world.service.Decode("{}").status);
  EXPECT_EQ(400, world.service.Decode("[]").status);
  EXPECT_EQ(400, world.service.Decode(R"({"token-value": 12})").status);
}

// Like the Python service (decode_token answers `resources: []` when expired):
// a link that no longer opens anything must not tell who it was for.
TEST(AuthTokenServiceTests, DecodeOfAnExpiredShareNamesNoStudy)
{
  TokenServiceWorld world;
  const std::string token =
    world.TokenOf("stone-viewer-publication", TokenServiceWorld::CreationBody("stone-viewer-publication", 60));
  world.now = kNow + 61;  // the share has expired; the token is still within the verifier's leeway
  const ApiResponse response = world.service.Decode(Json({{"token-value", token}}).dump());
  ASSERT_EQ(200, response.status);
  EXPECT_EQ("expired", response.body.at("error-code"));
  EXPECT_TRUE(response.body.at("redirect-url").is_null());
  EXPECT_TRUE(response.body.at("resources").empty()) << response.body.dump();

  const std::string exhausted = world.AddShare("exhausted",
                                               [](Share& s)
                                               {
                                                 s.maxUses = 1;
                                                 s.uses = 1;
                                               });
  world.now = kNow;
  const auto decoded = world.service.DecodeToken(exhausted);
  EXPECT_EQ("expired", decoded.errorCode);
  EXPECT_TRUE(decoded.studies.empty());
}

TEST(AuthTokenServiceTests, DecodeOfProtectedSharesAndInstantLinksGoesToTheLandingPage)
{
  TokenServiceWorld world;
  const std::string password = world.AddShare("password", [](Share& s) { s.passwordHash = "$argon2id$fake"; });
  const auto protectedShare = world.service.DecodeToken(password);
  EXPECT_EQ("", protectedShare.errorCode);
  EXPECT_EQ("https://pacs.example.org/orthanc/share/#token=" + password, protectedShare.redirectUrl);

  const std::string instant =
    world.TokenOf("viewer-instant-link", TokenServiceWorld::CreationBody("viewer-instant-link"));
  const auto decoded = world.service.DecodeToken(instant);
  EXPECT_EQ("viewer-instant-link", decoded.tokenType);
  EXPECT_EQ("https://pacs.example.org/orthanc/share/#token=" + instant, decoded.redirectUrl);

  TokenServiceSettings noLanding = TokenServiceWorld::DefaultSettings();
  noLanding.roots.ownLandingUrl.clear();
  TokenServiceWorld bare(noLanding);
  const std::string bareInstant =
    bare.TokenOf("viewer-instant-link", TokenServiceWorld::CreationBody("viewer-instant-link"));
  EXPECT_EQ("unknown", bare.service.DecodeToken(bareInstant).errorCode) << "like the Python service";
  const std::string barePassword = bare.AddShare("password", [](Share& s) { s.passwordHash = "$argon2id$fake"; });
  EXPECT_EQ("unknown", bare.service.DecodeToken(barePassword).errorCode);
  EXPECT_TRUE(bare.service.DecodeToken(barePassword).redirectUrl.empty());
}

TEST(AuthTokenServiceTests, ProfileOfStaffAndOfAnyoneElse)
{
  TokenServiceWorld world;
  StaffDirectory staff;
  staff.AddPlainUser("alice", "alice-password-long", StaffRole::Admin);
  staff.AddPlainUser("bob", "bob-password-long", StaffRole::Sharer);

  const auto profile = [&](const std::string& value) {
    return world.service.GetProfile(Json({{"token-key", "authorization"}, {"token-value", value}}).dump(), staff);
  };
  const ApiResponse alice = profile(BasicCredentials("alice", "alice-password-long"));
  ASSERT_EQ(200, alice.status);
  EXPECT_EQ("alice", alice.body.at("name"));
  EXPECT_EQ("alice", alice.body.at("user-id"));
  const Json& permissions = alice.body.at("permissions");
  EXPECT_NE(permissions.end(), std::find(permissions.begin(), permissions.end(), "all"));
  EXPECT_NE(permissions.end(), std::find(permissions.begin(), permissions.end(), "share"));
  EXPECT_EQ(Json::array({"*"}), alice.body.at("authorized-labels"));
  EXPECT_EQ(10, alice.body.at("validity"));

  const ApiResponse bob = profile(BasicCredentials("bob", "bob-password-long"));
  const Json& bobPermissions = bob.body.at("permissions");
  EXPECT_EQ(bobPermissions.end(), std::find(bobPermissions.begin(), bobPermissions.end(), "all"));
  EXPECT_EQ(bobPermissions.end(), std::find(bobPermissions.begin(), bobPermissions.end(), "delete"));
  EXPECT_NE(bobPermissions.end(), std::find(bobPermissions.begin(), bobPermissions.end(), "share"));

  for (const std::string& value : {BasicCredentials("alice", "wrong"), std::string("Bearer x.y.z"), std::string(""),
                                   std::string("alice:alice-password-long")})
  {
    const ApiResponse anonymous = profile(value);
    ASSERT_EQ(200, anonymous.status) << value;
    EXPECT_EQ("Anonymous", anonymous.body.at("name")) << value;
    EXPECT_TRUE(anonymous.body.at("permissions").empty()) << value;
    EXPECT_TRUE(anonymous.body.at("authorized-labels").empty()) << value;
    EXPECT_TRUE(anonymous.body.at("user-id").is_null()) << value;
  }
  EXPECT_EQ(400, world.service.GetProfile("not json", staff).status);
}

TEST(AuthTokenServiceTests, ProfileHonoursServerIdLikeValidate)
{
  TokenServiceSettings settings = TokenServiceWorld::DefaultSettings();
  settings.serverId = "node-1";
  TokenServiceWorld node(settings);
  StaffDirectory staff;
  staff.AddPlainUser("alice", "alice-password-long", StaffRole::Admin);
  const auto nameFor = [&](const Json& serverId)
  {
    Json query = {{"token-key", "authorization"}, {"token-value", BasicCredentials("alice", "alice-password-long")}};
    if (!serverId.is_discarded())
    {
      query["server-id"] = serverId;
    }
    const ApiResponse answer = node.service.GetProfile(query.dump(), staff);
    EXPECT_EQ(200, answer.status);
    return answer.body.value("name", "");
  };
  EXPECT_EQ("alice", nameFor("node-1"));
  EXPECT_EQ("Anonymous", nameFor("node-2"));
  EXPECT_EQ("Anonymous", nameFor(nullptr)) << "no identifier is not the configured one";
  EXPECT_EQ("Anonymous", nameFor(""));
  EXPECT_EQ("Anonymous", nameFor(Json(Json::value_t::discarded)));
}

TEST(AuthTokenServiceTests, StripBearer)
{
  EXPECT_EQ("abc", StripBearer("Bearer abc"));
  EXPECT_EQ("abc", StripBearer("  bearer   abc "));
  EXPECT_EQ("Bearer", StripBearer("Bearer"));
  EXPECT_EQ("Bearer", StripBearer("Bearer ")) << "nothing after the prefix: kept as it is";
  EXPECT_EQ("abc", StripBearer("abc"));
  EXPECT_EQ("Basic abc", StripBearer("Basic abc"));
}
