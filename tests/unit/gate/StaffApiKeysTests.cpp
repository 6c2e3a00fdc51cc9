// SPDX-License-Identifier: GPL-3.0-or-later
// Staff API keys at the gate: created, checked, revoked, expired, limited,
// never stored in clear, never taken for a share token (issue 20, point 3).
#include "GateWorld.h"
#include "NoticeThrottle.h"

#include <gtest/gtest.h>

using namespace studyshare;
using namespace studyshare::test;

namespace
{
  const std::string kServerKey = "server-key-for-api-key-digests-0123456789";

  class StaffApiKeysTest : public ::testing::Test
  {
  protected:
    StaffApiKeysTest()
      : apiKeys(
          world.store, kServerKey, [this] { return world.now; }, Limits())
    {
      world.gate.SetApiKeys(&apiKeys);
    }

    static StaffSignInLimits Limits()
    {
      StaffSignInLimits limits;
      limits.failuresPerClient = 3;
      limits.failuresPerUser = 3;
      return limits;
    }

    std::string Create(StaffRole role, std::optional<int64_t> lifetime = std::nullopt)
    {
      return apiKeys.Create("ris", role, lifetime, {"admin", "192.0.2.1", "unit-test"}).key;
    }

    AccessDecision Decide(HttpMethod method, const std::string& uri, const std::string& key,
                          const std::string& client = "192.0.2.10")
    {
      HttpRequest request = GateWorld::Request(method, uri, {}, GateWorld::Bearer(key));
      request.clientAddress = client;
      return world.gate.Decide(request);
    }

    GateWorld world;
    StaffApiKeys apiKeys;
  };
}

TEST_F(StaffApiKeysTest, AKeyHasThePrefixAndCanNeverBeTakenForAShareToken)
{
  const std::string key = Create(StaffRole::Admin);
  EXPECT_EQ(0u, key.rfind("ssk_", 0));
  EXPECT_EQ(47u, key.size());
  EXPECT_EQ(std::string::npos, key.find('.'));  // a compact JWS has two dots
  EXPECT_TRUE(StaffApiKeys::LooksLikeApiKey(key));
  EXPECT_FALSE(StaffApiKeys::LooksLikeApiKey(world.ShareToken("open")));
  const HttpRequest request = GateWorld::Get("/system", GateWorld::Bearer(key));
  const Credentials credentials = world.gate.ExtractCredentials(request);
  ASSERT_TRUE(credentials.apiKey.has_value());
  EXPECT_EQ(key, *credentials.apiKey);
  EXPECT_EQ(0u, credentials.distinctTokens);
}

TEST_F(StaffApiKeysTest, TheStoreKeepsOnlyAKeyedDigest)
{
  const StaffApiKeys::Issued issued = apiKeys.Create("ris", StaffRole::Sharer, std::nullopt, {"admin", "", ""});
  const auto keys = world.sqlite.ListApiKeys();
  ASSERT_EQ(1u, keys.size());
  EXPECT_EQ(64u, keys[0].digest.size());
  EXPECT_EQ(std::string::npos, keys[0].digest.find(issued.key.substr(4)));
  EXPECT_NE(crypto::Sha256Hex(issued.key), keys[0].digest);  // keyed: a copy of the database alone checks nothing
  StaffApiKeys otherServer(world.store, "another-server-key", [this] { return world.now; });
  EXPECT_FALSE(otherServer.Check(issued.key, "192.0.2.10").user.has_value());
  const auto audit = world.sqlite.ListAudit(ApiKeyAuditSubject(issued.record.id));
  ASSERT_EQ(1u, audit.size());
  EXPECT_EQ("api-key-create", audit[0].event);
  EXPECT_EQ(std::string::npos, audit[0].actor.find(issued.key));
}

TEST_F(StaffApiKeysTest, AnAdminKeyMayDoWhatAnAdminMay)
{
  const std::string key = Create(StaffRole::Admin);
  for (const auto& [method, uri] :
       std::vector<std::pair<HttpMethod, std::string>>{{HttpMethod::Delete, "/studies/" + std::string(kStudyA)},
                                                       {HttpMethod::Post, "/tools/find"},
                                                       {HttpMethod::Get, "/jobs"},
                                                       {HttpMethod::Put, "/modalities/pacs"},
                                                       {HttpMethod::Get, "/webdav/by-studies"},
                                                       {HttpMethod::Post, "/studyshare/api-keys"}})
  {
    const AccessDecision decision = Decide(method, uri, key);
    EXPECT_TRUE(decision.Permits()) << ToString(method) << " " << uri << ": " << ToString(decision.reason);
    EXPECT_EQ(DecisionReason::StaffAccess, decision.reason);
  }
  EXPECT_EQ("key:ris", world.gate.AuthenticateStaff(GateWorld::Get("/system", GateWorld::Bearer(key)))->name);
}

TEST_F(StaffApiKeysTest, ASharerKeyMayDoOnlyWhatASharerMay)
{
  const std::string key = Create(StaffRole::Sharer);
  EXPECT_TRUE(Decide(HttpMethod::Get, "/studies", key).Permits());
  EXPECT_TRUE(Decide(HttpMethod::Post, "/studyshare/shares", key).Permits());
  EXPECT_EQ(DecisionReason::StaffRoleForbids, Decide(HttpMethod::Delete, "/studies/x", key).reason);
  EXPECT_EQ(DecisionReason::StaffRoleForbids, Decide(HttpMethod::Post, "/studyshare/api-keys", key).reason);
  EXPECT_EQ(StaffRole::Sharer, world.gate.AuthenticateStaff(GateWorld::Get("/system", GateWorld::Bearer(key)))->role);
}

TEST_F(StaffApiKeysTest, ARevokedKeyStopsAtOnceAndAnExpiredKeyStopsAtItsEnd)
{
  const StaffApiKeys::Issued issued = apiKeys.Create("ris", StaffRole::Admin, std::nullopt, {"admin", "", ""});
  const std::string shortLived = Create(StaffRole::Admin, 3600);
  EXPECT_TRUE(Decide(HttpMethod::Get, "/system", issued.key).Permits());
  EXPECT_TRUE(apiKeys.Revoke(issued.record.id, {"admin", "192.0.2.1", "unit-test"}));
  EXPECT_EQ(DecisionReason::BadStaffCredentials, Decide(HttpMethod::Get, "/system", issued.key).reason);
  EXPECT_EQ("api-key-revoke", world.sqlite.ListAudit(ApiKeyAuditSubject(issued.record.id)).back().event);
  EXPECT_FALSE(apiKeys.Revoke("no-such-key", {"admin", "", ""}));

  EXPECT_TRUE(Decide(HttpMethod::Get, "/system", shortLived).Permits());
  world.now += 3600;
  EXPECT_EQ(DecisionReason::BadStaffCredentials, Decide(HttpMethod::Get, "/system", shortLived).reason);
}

TEST_F(StaffApiKeysTest, LastUseIsRecordedAtMostOnceAMinute)
{
  const StaffApiKeys::Issued issued = apiKeys.Create("ris", StaffRole::Admin, std::nullopt, {"admin", "", ""});
  EXPECT_FALSE(world.sqlite.ListApiKeys()[0].lastUsedAt.has_value());
  ASSERT_TRUE(Decide(HttpMethod::Get, "/system", issued.key).Permits());
  EXPECT_EQ(kNow, world.sqlite.ListApiKeys()[0].lastUsedAt);
  world.now += 30;
  ASSERT_TRUE(Decide(HttpMethod::Get, "/system", issued.key).Permits());
  EXPECT_EQ(kNow, world.sqlite.ListApiKeys()[0].lastUsedAt);
  world.now += 31;
  ASSERT_TRUE(Decide(HttpMethod::Get, "/system", issued.key).Permits());
  EXPECT_EQ(kNow + 61, world.sqlite.ListApiKeys()[0].lastUsedAt);
}

TEST_F(StaffApiKeysTest, WrongKeysAreLimitedPerClientLikePasswords)
{
  const std::string key = Create(StaffRole::Admin);
  std::string wrong = key;
  wrong.back() = wrong.back() == 'A' ? 'B' : 'A';
  for (int i = 0; i < 3; i++)
  {
    EXPECT_EQ(DecisionReason::BadStaffCredentials, Decide(HttpMethod::Get, "/system", wrong).reason);
  }
  // Over the limit even the right key is not checked from that address...
  EXPECT_EQ(DecisionReason::StaffRateLimited, Decide(HttpMethod::Get, "/system", key).reason);
  // ...while another client's key keeps working.
  EXPECT_TRUE(Decide(HttpMethod::Get, "/system", key, "192.0.2.99").Permits());
  world.now += 61;
  EXPECT_TRUE(Decide(HttpMethod::Get, "/system", key).Permits());
}

TEST_F(StaffApiKeysTest, MalformedKeysAndKeysBesideOtherCredentialsAreRefused)
{
  const std::string key = Create(StaffRole::Admin);
  EXPECT_EQ(DecisionReason::BadStaffCredentials, Decide(HttpMethod::Get, "/system", "ssk_").reason);
  EXPECT_EQ(DecisionReason::BadStaffCredentials, Decide(HttpMethod::Get, "/system", key + "x").reason);
  HttpRequest both = GateWorld::Get("/system", {{"authorization", "Bearer " + key}, {"token", "abc.def.ghi"}});
  EXPECT_EQ(DecisionReason::ConflictingTokens, world.gate.Decide(both).reason);
  // A key in a URL is no key: keys travel only in the Authorization header.
  const AccessDecision inUrl = world.gate.Decide(GateWorld::Get("/system", {}, {{"token", key}}));
  EXPECT_FALSE(inUrl.Permits());
}

TEST_F(StaffApiKeysTest, WithoutApiKeysConfiguredAKeyIsRefused)
{
  const std::string key = Create(StaffRole::Admin);
  world.gate.SetApiKeys(nullptr);
  EXPECT_EQ(DecisionReason::BadStaffCredentials, Decide(HttpMethod::Get, "/system", key).reason);
}

TEST_F(StaffApiKeysTest, AnUnavailableStoreFailsClosed)
{
  const std::string key = Create(StaffRole::Admin);
  world.store.failing = true;
  const AccessDecision decision = Decide(HttpMethod::Get, "/system", key);
  EXPECT_EQ(Verdict::Error, decision.verdict);
  EXPECT_EQ(DecisionReason::StoreUnavailable, decision.reason);
}

TEST(NoticeThrottle, LetsOneNoticeThroughPerIntervalAndCountsTheRest)
{
  NoticeThrottle throttle(60);
  EXPECT_EQ(0u, throttle.Admit(1000));
  EXPECT_FALSE(throttle.Admit(1001).has_value());
  EXPECT_FALSE(throttle.Admit(1059).has_value());
  EXPECT_EQ(2u, throttle.Admit(1060));
  EXPECT_FALSE(throttle.Admit(1060).has_value());
}
