// SPDX-License-Identifier: GPL-3.0-or-later
// The gate end to end (grammar → token → share state → policy), with a real
// SQLite store and a fake resolver: a decision matrix of route × token state ×
// failure mode, then the cases the matrix cannot express.
#include "Gate.h"

#include "CachingShareStore.h"
#include "GateWorld.h"
#include "PasswordHasher.h"

#include <gtest/gtest.h>

#include <optional>
#include <tuple>

using namespace studyshare;
using namespace studyshare::test;

namespace
{
  struct Expectation
  {
    Verdict verdict;
    DecisionReason reason;
  };

  Expectation AllowGrant()
  {
    return {Verdict::Allow, DecisionReason::ShareGrant};
  }
  Expectation Deny(DecisionReason reason)
  {
    return {Verdict::Deny, reason};
  }

  struct RouteCase
  {
    const char* name;
    HttpMethod method;
    std::string uri;
    HttpPairs arguments;
    Expectation view;          // with a View-only share
    Expectation viewDownload;  // with a View + Download share
    bool usesResolver;         // decided through the resolver (fails closed when it is down)
    bool isPublic = false;
  };

  std::vector<RouteCase> Routes()
  {
    const Expectation grant = AllowGrant();
    return {
      {"study_rest", HttpMethod::Get, "/studies/" + kStudyA, {}, grant, grant, false},
      {"instance_file",
       HttpMethod::Get,
       "/instances/" + kInstanceA + "/file",
       {},
       Deny(DecisionReason::PermissionMissing),
       grant,
       true},
      {"dicomweb_study_retrieve",
       HttpMethod::Get,
       "/dicom-web/studies/" + kStudyUidA,
       {},
       Deny(DecisionReason::PermissionMissing),
       grant,
       true},
      {"wado_uri_as_dicom",
       HttpMethod::Get,
       "/wado",
       {{"requestType", "WADO"}, {"objectUID", kSopUidA}, {"contentType", "application/dicom"}},
       Deny(DecisionReason::PermissionMissing),
       grant,
       true},
      {"instance_preview", HttpMethod::Get, "/instances/" + kInstanceA + "/preview", {}, grant, grant, true},
      {"dicomweb_series_metadata",
       HttpMethod::Get,
       "/dicom-web/studies/" + kStudyUidA + "/series/" + kSeriesUidA + "/metadata",
       {},
       grant,
       grant,
       true},
      {"study_archive",
       HttpMethod::Get,
       "/studies/" + kStudyA + "/archive",
       {},
       Deny(DecisionReason::PermissionMissing),
       grant,
       false},
      {"other_study",
       HttpMethod::Get,
       "/studies/" + kStudyB,
       {},
       Deny(DecisionReason::ResourceNotGranted),
       Deny(DecisionReason::ResourceNotGranted),
       false},
      {"patient",
       HttpMethod::Get,
       "/patients/" + kPatientA,
       {},
       Deny(DecisionReason::RouteNotShareable),
       Deny(DecisionReason::RouteNotShareable),
       false},
      {"system", HttpMethod::Get, "/system", {}, grant, grant, false},
      {"public_page",
       HttpMethod::Get,
       "/share/app/index.html",
       {},
       {Verdict::Allow, DecisionReason::PublicRoute},
       {Verdict::Allow, DecisionReason::PublicRoute},
       false,
       true},
      {"qido_constrained",
       HttpMethod::Get,
       "/dicom-web/studies",
       {{"StudyInstanceUID", kStudyUidA}},
       grant,
       grant,
       true},
      {"qido_unconstrained",
       HttpMethod::Get,
       "/dicom-web/studies",
       {{"limit", "10"}},
       Deny(DecisionReason::AmbiguousRequest),
       Deny(DecisionReason::AmbiguousRequest),
       false},
      {"series_of_b_under_study_a",
       HttpMethod::Get,
       "/dicom-web/studies/" + kStudyUidA + "/series/" + kSeriesUidB + "/metadata",
       {},
       Deny(DecisionReason::ResourceNotGranted),
       Deny(DecisionReason::ResourceNotGranted),
       true},
      {"delete_study",
       HttpMethod::Delete,
       "/studies/" + kStudyA,
       {},
       Deny(DecisionReason::RouteNotShareable),
       Deny(DecisionReason::RouteNotShareable),
       false},
      {"unknown_instance",
       HttpMethod::Get,
       "/instances/00000000-00000000-00000000-00000000-00000000/preview",
       {},
       Deny(DecisionReason::ResourceNotFound),
       Deny(DecisionReason::ResourceNotFound),
       true},
      {"wado_uri", HttpMethod::Get, "/wado", {{"requestType", "WADO"}, {"objectUID", kSopUidA}}, grant, grant, true},
      {"wado_uri_object_of_b",
       HttpMethod::Get,
       "/wado",
       {{"requestType", "WADO"}, {"studyUID", kStudyUidA}, {"objectUID", kSopUidB}},
       Deny(DecisionReason::ResourceNotGranted),
       Deny(DecisionReason::ResourceNotGranted),
       true},
    };
  }

  enum class Carrier
  {
    None,
    Token
  };

  struct TokenCase
  {
    const char* name;
    std::function<std::string(const GateWorld&)> make;  // empty: no credentials
    std::optional<Expectation> fixed;                   // the outcome whatever the route
    bool download = false;                              // the share has Download
    bool reachesStore = true;
  };

  std::vector<TokenCase> Tokens()
  {
    auto share = [](const char* id) { return [id](const GateWorld& w) { return w.ShareToken(id); }; };
    auto session = [](const char* id) { return [id](const GateWorld& w) { return w.SessionToken(id); }; };
    const auto rejected = Deny(DecisionReason::TokenRejected);
    const auto needsSession = Deny(DecisionReason::ShareNeedsSession);
    return {
      {"no_credentials", nullptr, Deny(DecisionReason::NoCredentials), false, false},
      {"share_valid", share("open"), std::nullopt},
      {"share_valid_download", share("open-dl"), std::nullopt, true},
      {"session_valid", session("open"), std::nullopt},
      {"session_of_password_share", session("password"), std::nullopt},
      {"session_of_exhausted_share", session("exhausted"), std::nullopt},
      {"token_expired", [](const GateWorld& w) { return w.ShareToken("open", kNow - 3600); }, rejected, false, false},
      {"token_wrong_typ", [](const GateWorld&) { return HmacToken(Header("HS256", "JWT"), Payload("open")); }, rejected,
       false, false},
      {"token_wrong_key", [](const GateWorld&) { return HmacToken(Header(), Payload("open"), std::string(40, 'z')); },
       rejected, false, false},
      {"token_garbage", [](const GateWorld&) { return std::string("not-a-token"); }, rejected, false, false},
      {"share_unknown", share("ghost"), Deny(DecisionReason::ShareUnknown)},
      {"session_unknown_share", session("ghost"), Deny(DecisionReason::ShareUnknown)},
      {"share_revoked", share("revoked"), Deny(DecisionReason::ShareRevoked)},
      {"session_revoked", session("revoked"), Deny(DecisionReason::ShareRevoked)},
      {"share_expired_share", share("expired"), Deny(DecisionReason::ShareExpired)},
      {"session_expired_share", session("expired"), Deny(DecisionReason::ShareExpired)},
      {"share_needs_session_password", share("password"), needsSession},
      {"share_needs_session_max_uses", share("max-uses"), needsSession},
      {"share_needs_session_access_code", share("code"), needsSession},
      {"share_needs_session_birth_date", share("birth"), needsSession},
      {"share_exhausted", share("exhausted"), Deny(DecisionReason::ShareExhausted)},
    };
  }

  enum class Failure
  {
    None,
    ResolverUnavailable,
    StoreUnavailable
  };

  const char* FailureName(Failure f)
  {
    switch (f)
    {
      case Failure::None:
        return "healthy";
      case Failure::ResolverUnavailable:
        return "resolver_down";
      case Failure::StoreUnavailable:
        return "store_down";
    }
    return "?";
  }

  Expectation Expect(const RouteCase& route, const TokenCase& token, Failure failure)
  {
    if (route.isPublic)
    {
      return route.view;
    }
    if (token.fixed && !token.reachesStore)
    {
      return *token.fixed;
    }
    if (failure == Failure::StoreUnavailable)
    {
      return {Verdict::Error, DecisionReason::StoreUnavailable};
    }
    if (token.fixed)
    {
      return *token.fixed;
    }
    const Expectation healthy = token.download ? route.viewDownload : route.view;
    // A missing permission is refused before any resource is resolved.
    if (failure == Failure::ResolverUnavailable && route.usesResolver &&
        healthy.reason != DecisionReason::PermissionMissing)
    {
      return {Verdict::Error, DecisionReason::ResolverUnavailable};
    }
    return healthy;
  }

  using MatrixParam = std::tuple<size_t, size_t, Failure, GateStore>;

  class GateMatrix : public ::testing::TestWithParam<MatrixParam>
  {
  };
}

TEST_P(GateMatrix, Decides)
{
  const RouteCase route = Routes().at(std::get<0>(GetParam()));
  const TokenCase token = Tokens().at(std::get<1>(GetParam()));
  const Failure failure = std::get<2>(GetParam());
  const GateStore kind = std::get<3>(GetParam());
  if (kind == GateStore::Postgres && PostgresTestCluster::SkipRequested())
  {
    GTEST_SKIP() << "STUDYSHARE_SKIP_POSTGRES=1: the PostgreSQL store is not tested";
  }

  GateWorld world(GateSettings(), kind);
  HttpRequest request = GateWorld::Request(route.method, route.uri, route.arguments);
  if (token.make)
  {
    request.headers = GateWorld::Bearer(token.make(world));
  }
  world.resolver.unavailable = failure == Failure::ResolverUnavailable;
  world.store.failing = failure == Failure::StoreUnavailable;

  const AccessDecision decision = world.gate.Decide(request);
  const Expectation expected = Expect(route, token, failure);
  EXPECT_EQ(ToString(expected.verdict), std::string(ToString(decision.verdict))) << decision.detail;
  EXPECT_EQ(ToString(expected.reason), std::string(ToString(decision.reason))) << decision.detail;
  EXPECT_EQ(expected.verdict == Verdict::Allow, decision.Permits());
  EXPECT_EQ(1u, world.gate.GetCounters().Get(decision.verdict, decision.reason));
  // Never a token in what gets logged.
  if (token.make)
  {
    EXPECT_EQ(std::string::npos, decision.detail.find(token.make(world)));
  }
}

INSTANTIATE_TEST_SUITE_P(
  Matrix, GateMatrix,
  ::testing::Combine(::testing::Range<size_t>(0, Routes().size()), ::testing::Range<size_t>(0, Tokens().size()),
                     ::testing::Values(Failure::None, Failure::ResolverUnavailable, Failure::StoreUnavailable),
                     ::testing::Values(GateStore::Sqlite, GateStore::Postgres)),
  [](const ::testing::TestParamInfo<MatrixParam>& p)
  {
    return std::string(Routes()[std::get<0>(p.param)].name) + "__" + Tokens()[std::get<1>(p.param)].name + "__" +
           FailureName(std::get<2>(p.param)) + (std::get<3>(p.param) == GateStore::Postgres ? "__postgres" : "");
  });

TEST(GateTests, EachDicomRetrievalIsOneAuditEvent)
{
  GateWorld world;
  const HttpPairs bearer = GateWorld::Bearer(world.ShareToken("open-dl"));
  const auto downloads = [&]
  {
    size_t count = 0;
    for (const AuditEvent& event : world.store.ListAudit("open-dl"))
    {
      count += event.event == "download" ? 1 : 0;
    }
    return count;
  };
  const HttpPairs wadoJpeg = {{"requestType", "WADO"}, {"objectUID", kSopUidA}};
  const HttpPairs wadoDicom = {{"requestType", "WADO"}, {"objectUID", kSopUidA}, {"contentType", "application/dicom"}};
  ASSERT_TRUE(world.gate.Decide(GateWorld::Get("/instances/" + kInstanceA + "/preview", bearer)).Permits());
  ASSERT_TRUE(world.gate.Decide(GateWorld::Get("/wado", bearer, wadoJpeg)).Permits());
  EXPECT_EQ(0u, downloads()) << "rendered images are not downloads";
  for (const auto& [uri, arguments] : std::vector<std::pair<std::string, HttpPairs>>{
         {"/instances/" + kInstanceA + "/file", {}},
         {"/dicom-web/studies/" + kStudyUidA, {}},
         {"/dicom-web/studies/" + kStudyUidA + "/series/" + kSeriesUidA, {}},
         {"/wado", wadoDicom},
         {"/studies/" + kStudyA + "/archive", {}}})
  {
    const size_t before = downloads();
    const AccessDecision decision = world.gate.Decide(GateWorld::Get(uri, bearer, arguments));
    ASSERT_TRUE(decision.Permits()) << uri << ": " << decision.detail;
    EXPECT_EQ(before + 1, downloads()) << uri;
  }
}

TEST(GateTests, ErrorVerdictNeverPermits)
{
  EXPECT_FALSE(AccessDecision::Fail(DecisionReason::StoreUnavailable).Permits());
  EXPECT_FALSE(AccessDecision::Fail(DecisionReason::ShareGrant).Permits());
  EXPECT_FALSE(AccessDecision().Permits());
  EXPECT_EQ(Verdict::Error, AccessDecision().verdict);
  EXPECT_FALSE(AccessDecision::Deny(DecisionReason::ShareGrant).Permits());
  EXPECT_TRUE(AccessDecision::Allow(DecisionReason::ShareGrant).Permits());
}

TEST(GateTests, UidUnderTwoPatientsNeedsBothStudiesGranted)
{
  GateWorld world;
  const std::string uri = "/dicom-web/studies/" + kStudyUidShared + "/metadata";
  const AccessDecision onlyA = world.gate.Decide(GateWorld::Get(uri, GateWorld::Bearer(world.ShareToken("open"))));
  EXPECT_EQ(Verdict::Deny, onlyA.verdict);
  EXPECT_EQ(DecisionReason::ResourceNotGranted, onlyA.reason);
  const AccessDecision both = world.gate.Decide(GateWorld::Get(uri, GateWorld::Bearer(world.ShareToken("a-and-c"))));
  EXPECT_EQ(Verdict::Allow, both.verdict) << both.detail;
}

TEST(GateTests, SeriesOfAnotherStudyNamedUnderAGrantedStudyIsDenied)
{
  GateWorld world;
  for (const std::string& uri :
       {"/dicom-web/studies/" + kStudyUidA + "/series/" + kSeriesUidB + "/metadata",
        "/dicom-web/studies/" + kStudyUidA + "/series/" + kSeriesUidA + "/instances/" + kSopUidB + "/frames/1",
        "/dicom-web/studies/" + kStudyUidA + "/series?SeriesInstanceUID=" + kSeriesUidB})
  {
    HttpRequest request = GateWorld::Get(uri.substr(0, uri.find('?')), GateWorld::Bearer(world.ShareToken("open")));
    if (uri.find('?') != std::string::npos)
    {
      request.arguments = {{"SeriesInstanceUID", kSeriesUidB}};
    }
    const AccessDecision decision = world.gate.Decide(request);
    EXPECT_EQ(Verdict::Deny, decision.verdict) << uri;
    EXPECT_EQ(DecisionReason::ResourceNotGranted, decision.reason) << uri;
  }
}

TEST(GateTests, TokenCarriers)
{
  GateWorld world;
  const std::string token = world.ShareToken("open");
  const std::string uri = "/studies/" + kStudyA;
  EXPECT_TRUE(world.gate.Decide(GateWorld::Get(uri, {{"authorization", "Bearer " + token}})).Permits());
  EXPECT_TRUE(world.gate.Decide(GateWorld::Get(uri, {{"Authorization", "bearer  " + token + " "}})).Permits());
  EXPECT_TRUE(world.gate.Decide(GateWorld::Get(uri, {{"token", token}})).Permits());
  EXPECT_TRUE(world.gate.Decide(GateWorld::Get(uri, {{"Token", "Bearer " + token}})).Permits());
  EXPECT_TRUE(world.gate.Decide(GateWorld::Get(uri, {}, {{"token", token}})).Permits());
  // The same token in several carriers is one token.
  EXPECT_TRUE(
    world.gate.Decide(GateWorld::Get(uri, {{"authorization", "Bearer " + token}, {"token", token}}, {{"token", token}}))
      .Permits());
  // Names that are not configured carry nothing.
  const AccessDecision other = world.gate.Decide(GateWorld::Get(uri, {{"x-token", token}}, {{"TOKEN", token}}));
  EXPECT_EQ(DecisionReason::NoCredentials, other.reason);
}

TEST(GateTests, CustomTokenHeaderAndArgument)
{
  GateSettings settings;
  settings.tokenHeader = "x-share-token";
  settings.tokenArgument = "auth";
  GateWorld world(settings);
  const std::string token = world.ShareToken("open");
  const std::string uri = "/studies/" + kStudyA;
  EXPECT_TRUE(world.gate.Decide(GateWorld::Get(uri, {{"x-share-token", token}})).Permits());
  EXPECT_TRUE(world.gate.Decide(GateWorld::Get(uri, {}, {{"auth", token}})).Permits());
  EXPECT_TRUE(world.gate.Decide(GateWorld::Get(uri, GateWorld::Bearer(token))).Permits());
  EXPECT_EQ(DecisionReason::NoCredentials, world.gate.Decide(GateWorld::Get(uri, {{"token", token}})).reason);
  EXPECT_EQ(DecisionReason::NoCredentials, world.gate.Decide(GateWorld::Get(uri, {}, {{"token", token}})).reason);
}

TEST(GateTests, ConflictingTokensAreDenied)
{
  GateWorld world;
  const std::string uri = "/studies/" + kStudyA;
  const std::string a = world.ShareToken("open");
  const std::string b = world.ShareToken("open-dl");
  for (const HttpRequest& request :
       {GateWorld::Get(uri, {{"authorization", "Bearer " + a}, {"token", b}}),
        GateWorld::Get(uri, {{"authorization", "Bearer " + a}}, {{"token", b}}),
        GateWorld::Get(uri, {{"token", a}}, {{"token", b}}), GateWorld::Get(uri, {}, {{"token", a}, {"token", b}}),
        GateWorld::Get(uri, {{"token", a}}, {{"token", "garbage"}})})
  {
    const AccessDecision decision = world.gate.Decide(request);
    EXPECT_EQ(Verdict::Deny, decision.verdict);
    EXPECT_EQ(DecisionReason::ConflictingTokens, decision.reason);
  }
}

TEST(GateTests, StaffBasicAuthentication)
{
  GateWorld world;
  world.staff.AddPlainUser("orthanc", "orthanc-pass", StaffRole::Admin);
  world.staff.AddHashedUser("sam", PasswordHasher::Hash("sam's secret"), StaffRole::Sharer);
  auto basic = [](const std::string& user, const std::string& password)
  {
    return HttpPairs{{"authorization", "Basic " + [&]
                                         {
                                           // standard base64 with padding, as browsers send it
                                           static const char* k =
                                             "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
                                           const std::string in = user + ":" + password;
                                           std::string out;
                                           for (size_t i = 0; i < in.size(); i += 3)
                                           {
                                             uint32_t v = static_cast<uint8_t>(in[i]) << 16;
                                             if (i + 1 < in.size())
                                               v |= static_cast<uint8_t>(in[i + 1]) << 8;
                                             if (i + 2 < in.size())
                                               v |= static_cast<uint8_t>(in[i + 2]);
                                             out += k[(v >> 18) & 63];
                                             out += k[(v >> 12) & 63];
                                             out += i + 1 < in.size() ? k[(v >> 6) & 63] : '=';
                                             out += i + 2 < in.size() ? k[v & 63] : '=';
                                           }
                                           return out;
                                         }()}};
  };

  auto decide = [&](HttpMethod method, const std::string& uri, const HttpPairs& headers)
  { return world.gate.Decide(GateWorld::Request(method, uri, {}, headers)); };

  // Admin from RegisteredUsers: everything Orthanc allows.
  for (auto [method, uri] :
       {std::pair{HttpMethod::Delete, "/studies/" + kStudyA}, std::pair{HttpMethod::Get, std::string("/patients")},
        std::pair{HttpMethod::Post, std::string("/tools/reset")},
        std::pair{HttpMethod::Get, std::string("/webdav/by-studies")}})
  {
    const AccessDecision d = decide(method, uri, basic("orthanc", "orthanc-pass"));
    EXPECT_EQ(Verdict::Allow, d.verdict) << uri;
    EXPECT_EQ(DecisionReason::StaffAccess, d.reason) << uri;
  }
  // Sharer (Argon2id hash): reads, searches, manages shares; nothing else.
  EXPECT_TRUE(decide(HttpMethod::Get, "/patients", basic("sam", "sam's secret")).Permits());
  EXPECT_TRUE(decide(HttpMethod::Get, "/studies/" + kStudyB + "/archive", basic("sam", "sam's secret")).Permits());
  EXPECT_TRUE(decide(HttpMethod::Post, "/tools/find", basic("sam", "sam's secret")).Permits());
  EXPECT_TRUE(decide(HttpMethod::Post, "/tools/lookup", basic("sam", "sam's secret")).Permits());
  EXPECT_TRUE(decide(HttpMethod::Post, "/studyshare/shares", basic("sam", "sam's secret")).Permits());
  EXPECT_TRUE(decide(HttpMethod::Delete, "/studyshare/shares/abc", basic("sam", "sam's secret")).Permits());
  for (auto [method, uri] :
       {std::pair{HttpMethod::Delete, "/studies/" + kStudyA}, std::pair{HttpMethod::Post, std::string("/tools/reset")},
        std::pair{HttpMethod::Post, std::string("/studies/" + kStudyA + "/anonymize")},
        std::pair{HttpMethod::Put, std::string("/instances/" + kInstanceA + "/metadata/1024")},
        std::pair{HttpMethod::Get, std::string("/webdav/by-studies")},
        std::pair{HttpMethod::Post, std::string("/tools/find/x")},
        std::pair{HttpMethod::Get, std::string("/studies/../patients")}})
  {
    const AccessDecision d = decide(method, uri, basic("sam", "sam's secret"));
    EXPECT_EQ(Verdict::Deny, d.verdict) << uri;
    EXPECT_EQ(DecisionReason::StaffRoleForbids, d.reason) << uri;
  }
  // Wrong or malformed credentials are refused, even on routes a share could read.
  for (const HttpPairs& headers :
       {basic("orthanc", "wrong"), basic("sam", "Sam's secret"), basic("nobody", "x"), basic("orthanc", ""),
        HttpPairs{{"authorization", "Basic !!!"}}, HttpPairs{{"authorization", "Basic b3J0aGFuYw=="}}})
  {
    const AccessDecision d = decide(HttpMethod::Get, "/studies/" + kStudyA, headers);
    EXPECT_EQ(Verdict::Deny, d.verdict);
    EXPECT_EQ(DecisionReason::BadStaffCredentials, d.reason);
  }
  EXPECT_EQ("sam", world.gate.AuthenticateStaff(GateWorld::Get("/", basic("sam", "sam's secret")))->name);
  EXPECT_FALSE(world.gate.AuthenticateStaff(GateWorld::Get("/", basic("sam", "nope"))).has_value());
  EXPECT_FALSE(world.gate.AuthenticateStaff(GateWorld::Get("/")).has_value());
}

TEST(GateTests, RevocationThroughTheCacheIsVisibleAtOnce)
{
  GateWorld world;
  CachingShareStore cache(world.sqlite, std::chrono::minutes(10));
  Gate gate(GateSettings(), world.grammar, world.staff, world.verifier, cache, world.resolver, [] { return kNow; });
  const HttpRequest request = GateWorld::Get("/studies/" + kStudyA, GateWorld::Bearer(world.ShareToken("open")));
  EXPECT_TRUE(gate.Decide(request).Permits());
  EXPECT_TRUE(gate.Decide(request).Permits());
  ASSERT_TRUE(cache.Revoke("open", kNow, Event("open", kNow, "revoke")));
  const AccessDecision after = gate.Decide(request);
  EXPECT_EQ(Verdict::Deny, after.verdict);
  EXPECT_EQ(DecisionReason::ShareRevoked, after.reason);
}

TEST(GateTests, ExpiryFollowsTheClock)
{
  GateWorld world;
  const HttpRequest request = GateWorld::Get("/studies/" + kStudyA, GateWorld::Bearer(world.SessionToken("open")));
  EXPECT_TRUE(world.gate.Decide(request).Permits());
  world.now = kNow + 86400;  // the share's expiry
  const AccessDecision decision = world.gate.Decide(request);
  EXPECT_EQ(Verdict::Deny, decision.verdict);
}

TEST(GateTests, DecisionCountersCountEveryDecision)
{
  GateWorld world;
  const std::string token = world.ShareToken("open");
  world.gate.Decide(GateWorld::Get("/share/"));
  world.gate.Decide(GateWorld::Get("/share/app.js"));
  world.gate.Decide(GateWorld::Get("/studies/" + kStudyA));
  world.gate.Decide(GateWorld::Get("/studies/" + kStudyA, GateWorld::Bearer(token)));
  world.gate.Decide(GateWorld::Get("/studies/" + kStudyB, GateWorld::Bearer(token)));
  world.gate.Decide(GateWorld::Get("/studies/" + kStudyB, GateWorld::Bearer("junk")));
  world.store.failing = true;
  world.gate.Decide(GateWorld::Get("/studies/" + kStudyA, GateWorld::Bearer(token)));
  const DecisionCounters& counters = world.gate.GetCounters();
  EXPECT_EQ(2u, counters.Get(Verdict::Allow, DecisionReason::PublicRoute));
  EXPECT_EQ(1u, counters.Get(Verdict::Deny, DecisionReason::NoCredentials));
  EXPECT_EQ(1u, counters.Get(Verdict::Allow, DecisionReason::ShareGrant));
  EXPECT_EQ(1u, counters.Get(Verdict::Deny, DecisionReason::ResourceNotGranted));
  EXPECT_EQ(1u, counters.Get(Verdict::Deny, DecisionReason::TokenRejected));
  EXPECT_EQ(1u, counters.Get(Verdict::Error, DecisionReason::StoreUnavailable));
  EXPECT_EQ(0u, counters.Get(Verdict::Allow, DecisionReason::StaffAccess));
  const nlohmann::json json = counters.ToJson();
  EXPECT_EQ(2, json["allow"]["public-route"]);
  EXPECT_EQ(1, json["error"]["store-unavailable"]);
  EXPECT_FALSE(json["deny"].contains("share-grant"));
}

TEST(GateTests, ResolverThatThrowsFailsClosed)
{
  struct ThrowingResolver : IResourceResolver
  {
    Resolution ResolveStudies(const ResourceView&) override { throw std::runtime_error("boom"); }
  } resolver;
  GateWorld world;
  Gate gate(GateSettings(), world.grammar, world.staff, world.verifier, world.store, resolver, [] { return kNow; });
  const AccessDecision decision =
    gate.Decide(GateWorld::Get("/instances/" + kInstanceA, GateWorld::Bearer(world.ShareToken("open"))));
  EXPECT_EQ(Verdict::Error, decision.verdict);
  EXPECT_EQ(DecisionReason::InternalError, decision.reason);
  EXPECT_FALSE(decision.Permits());
}

TEST(GateTests, ShareTokenNeverWritesEvenWithEveryPermission)
{
  GateWorld world;
  const std::string token = world.ShareToken("open-dl");
  for (HttpMethod method : {HttpMethod::Post, HttpMethod::Put, HttpMethod::Delete, HttpMethod::Other})
  {
    for (const std::string& uri : {"/studies/" + kStudyA, "/instances/" + kInstanceA + "/metadata/4202",
                                   "/studies/" + kStudyA + "/archive", "/dicom-web/studies/" + kStudyUidA})
    {
      const AccessDecision d = world.gate.Decide(GateWorld::Request(method, uri, {}, GateWorld::Bearer(token)));
      EXPECT_FALSE(d.Permits()) << ToString(method) << " " << uri;
    }
  }
}
