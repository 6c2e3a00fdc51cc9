// SPDX-License-Identifier: GPL-3.0-or-later
// The gate in remote mode: share tokens are judged by a token service, but
// the grammar, the hierarchy and staff stay decided here. A fake authority
// records every question it is asked.
#include "Gate.h"

#include "GateWorld.h"
#include "TokenServiceWorld.h"

#include <gtest/gtest.h>

using namespace studyshare;
using namespace studyshare::test;

namespace
{
  class RecordingAuthority : public IRemoteAuthority
  {
  public:
    RemoteAnswer Ask(const RemoteQuestion& question) override
    {
      questions.push_back(question);
      if (throwing)
      {
        throw std::runtime_error("test: authority exploded");
      }
      for (const std::string& study : grantedStudies)
      {
        if (question.orthancId == study)
        {
          return {RemoteVerdict::Granted, "granted"};
        }
      }
      if (question.level == "system" && grantSystem)
      {
        return {RemoteVerdict::Granted, "granted"};
      }
      return {verdict, "refused"};
    }

    std::vector<std::string> grantedStudies = {kStudyA};
    bool grantSystem = true;
    RemoteVerdict verdict = RemoteVerdict::Denied;  // for everything not granted
    bool throwing = false;
    std::vector<RemoteQuestion> questions;
  };

  const std::string kRemoteToken = "remote.token.value";

  class GateRemoteModeTests : public ::testing::Test
  {
  protected:
    GateRemoteModeTests() { world.gate.SetRemoteAuthority(&authority); }

    AccessDecision Decide(HttpRequest request)
    {
      request.headers.push_back({"authorization", "Bearer " + kRemoteToken});
      return world.gate.Decide(request);
    }

    AccessDecision Get(const std::string& uri, HttpPairs arguments = {})
    {
      return Decide(GateWorld::Get(uri, {}, std::move(arguments)));
    }

    static void ExpectDecision(Verdict verdict, DecisionReason reason, const AccessDecision& decision)
    {
      EXPECT_EQ(ToString(verdict), std::string(ToString(decision.verdict))) << decision.detail;
      EXPECT_EQ(ToString(reason), std::string(ToString(decision.reason))) << decision.detail;
      EXPECT_EQ(std::string::npos, decision.detail.find(kRemoteToken)) << "never a token in the log";
    }

    GateWorld world;
    RecordingAuthority authority;
  };
}

TEST_F(GateRemoteModeTests, AStudyIsAskedAboutByItsOrthancId)
{
  ExpectDecision(Verdict::Allow, DecisionReason::ShareGrant, Get("/studies/" + kStudyA));
  ASSERT_EQ(1u, authority.questions.size());
  const RemoteQuestion& q = authority.questions[0];
  EXPECT_EQ(kRemoteToken, q.token);
  EXPECT_EQ(HttpMethod::Get, q.method);
  EXPECT_EQ("study", q.level);
  EXPECT_EQ(kStudyA, q.orthancId);
  EXPECT_EQ("", q.dicomUid);
  EXPECT_EQ("/studies/" + kStudyA, q.uri);
  EXPECT_EQ(RouteAccess::Read, q.access);
  EXPECT_EQ(0, world.resolver.calls) << "a study's Orthanc id needs no resolution";
}

TEST_F(GateRemoteModeTests, SeriesAndInstancesAreResolvedToTheirStudyBeforeAsking)
{
  for (const std::string& uri :
       {"/series/" + kSeriesA, "/instances/" + kInstanceA + "/file", "/instances/" + kInstanceA + "/preview"})
  {
    authority.questions.clear();
    const int before = world.resolver.calls;
    ExpectDecision(Verdict::Allow, DecisionReason::ShareGrant, Get(uri));
    EXPECT_EQ(before + 1, world.resolver.calls) << uri;
    ASSERT_EQ(1u, authority.questions.size()) << uri;
    EXPECT_EQ(kStudyA, authority.questions[0].orthancId) << uri;
    EXPECT_EQ("study", authority.questions[0].level) << uri;
  }
  authority.questions.clear();
  ExpectDecision(Verdict::Deny, DecisionReason::RemoteRefused, Get("/instances/" + kInstanceB + "/file"));
  ASSERT_EQ(1u, authority.questions.size());
  EXPECT_EQ(kStudyB, authority.questions[0].orthancId) << "asked about the study the instance belongs to";
}

TEST_F(GateRemoteModeTests, DicomWebAsksAboutEveryStudyTheRequestTouches)
{
  ExpectDecision(Verdict::Allow, DecisionReason::ShareGrant,
                 Get("/dicom-web/studies/" + kStudyUidA + "/series/" + kSeriesUidA + "/metadata"));
  // The study and the series both map to study A: one question (the
  // service audits each download it grants), with the UID the request named.
  ASSERT_EQ(1u, authority.questions.size());
  EXPECT_EQ(kStudyA, authority.questions[0].orthancId);
  EXPECT_EQ(kStudyUidA, authority.questions[0].dicomUid) << "the UID the request named";

  // A series of study B named under granted study A: B is asked about, and refused.
  authority.questions.clear();
  ExpectDecision(Verdict::Deny, DecisionReason::RemoteRefused,
                 Get("/dicom-web/studies/" + kStudyUidA + "/series/" + kSeriesUidB));
  ASSERT_EQ(2u, authority.questions.size());
  EXPECT_EQ(kStudyB, authority.questions[1].orthancId);

  // One UID under two patients: both studies must be granted.
  authority.questions.clear();
  ExpectDecision(Verdict::Deny, DecisionReason::RemoteRefused, Get("/dicom-web/studies/" + kStudyUidShared));
  ASSERT_EQ(2u, authority.questions.size());
  EXPECT_EQ(kStudyC, authority.questions[1].orthancId);
  EXPECT_EQ(kStudyUidShared, authority.questions[1].dicomUid);
  authority.grantedStudies.push_back(kStudyC);
  ExpectDecision(Verdict::Allow, DecisionReason::ShareGrant, Get("/dicom-web/studies/" + kStudyUidShared));
}

TEST_F(GateRemoteModeTests, WadoUriIsDecidedByTheObjectItReturns)
{
  ExpectDecision(Verdict::Deny, DecisionReason::RemoteRefused,
                 Get("/wado", {{"requestType", "WADO"}, {"studyUID", kStudyUidA}, {"objectUID", kSopUidB}}));
  ASSERT_FALSE(authority.questions.empty());
  EXPECT_EQ(kStudyB, authority.questions.back().orthancId);
}

TEST_F(GateRemoteModeTests, WhatTheGrammarRefusesIsRefusedWithoutAsking)
{
  struct Case
  {
    HttpMethod method;
    std::string uri;
    HttpPairs arguments;
    DecisionReason reason;
  };
  const std::vector<Case> cases = {
    {HttpMethod::Get, "/patients/" + kPatientA, {}, DecisionReason::RouteNotShareable},
    {HttpMethod::Get, "/patients", {}, DecisionReason::RouteNotShareable},
    {HttpMethod::Get, "/studies", {}, DecisionReason::RouteNotShareable},
    {HttpMethod::Post, "/tools/find", {}, DecisionReason::RouteNotShareable},
    {HttpMethod::Get, "/changes", {}, DecisionReason::RouteNotShareable},
    {HttpMethod::Get, "/jobs", {}, DecisionReason::RouteNotShareable},
    {HttpMethod::Get, "/modalities", {}, DecisionReason::RouteNotShareable},
    {HttpMethod::Delete, "/studies/" + kStudyA, {}, DecisionReason::RouteNotShareable},
    {HttpMethod::Put, "/studies/" + kStudyA + "/labels/x", {}, DecisionReason::RouteNotShareable},
    {HttpMethod::Post, "/studies/" + kStudyA + "/anonymize", {}, DecisionReason::RouteNotShareable},
    {HttpMethod::Get, "/dicom-web/studies", {{"limit", "10"}}, DecisionReason::AmbiguousRequest},
  };
  for (const Case& c : cases)
  {
    const AccessDecision decision = Decide(GateWorld::Request(c.method, c.uri, c.arguments));
    EXPECT_EQ(Verdict::Deny, decision.verdict) << c.uri;
    EXPECT_EQ(ToString(c.reason), std::string(ToString(decision.reason))) << c.uri << ": " << decision.detail;
  }
  EXPECT_TRUE(authority.questions.empty());
}

TEST_F(GateRemoteModeTests, PatientLevelResourcesAreRefusedWithoutAsking)
{
  // No default route lets a share read a patient; a table that did must still not reach the service.
  const std::vector<RouteRule> rules = {{"patient-read", kRead, "/patients/{patient}", RouteAccess::Read}};
  const RequestGrammar grammar(rules, GrammarSettings());
  Gate gate(GateSettings(), grammar, world.staff, world.verifier, world.store, world.resolver, [] { return kNow; });
  gate.SetRemoteAuthority(&authority);
  const AccessDecision decision =
    gate.Decide(GateWorld::Get("/patients/" + kPatientA, GateWorld::Bearer(kRemoteToken)));
  ExpectDecision(Verdict::Deny, DecisionReason::RouteNotShareable, decision);
  EXPECT_TRUE(authority.questions.empty());
  EXPECT_EQ(0, world.resolver.calls);
}

TEST_F(GateRemoteModeTests, SystemRoutesAreAskedAtSystemLevel)
{
  ExpectDecision(Verdict::Allow, DecisionReason::ShareGrant, Get("/system"));
  ASSERT_EQ(1u, authority.questions.size());
  EXPECT_EQ("system", authority.questions[0].level);
  EXPECT_EQ("", authority.questions[0].orthancId);
  EXPECT_EQ("/system", authority.questions[0].uri);
  EXPECT_EQ(RouteAccess::AnyShare, authority.questions[0].access);
  authority.grantSystem = false;
  ExpectDecision(Verdict::Deny, DecisionReason::RemoteRefused, Get("/system"));
}

TEST_F(GateRemoteModeTests, DownloadsCarryTheirRouteClass)
{
  ExpectDecision(Verdict::Allow, DecisionReason::ShareGrant, Get("/studies/" + kStudyA + "/archive"));
  ASSERT_EQ(1u, authority.questions.size());
  EXPECT_EQ(RouteAccess::Download, authority.questions[0].access) << "the service decides Download";
}

TEST_F(GateRemoteModeTests, FailuresFailClosed)
{
  authority.verdict = RemoteVerdict::Unavailable;
  ExpectDecision(Verdict::Error, DecisionReason::RemoteUnavailable, Get("/studies/" + kStudyB));
  EXPECT_FALSE(Get("/studies/" + kStudyB).Permits());

  authority.questions.clear();
  world.resolver.unavailable = true;
  ExpectDecision(Verdict::Error, DecisionReason::ResolverUnavailable, Get("/instances/" + kInstanceA + "/file"));
  EXPECT_TRUE(authority.questions.empty()) << "no question about a study the gate could not find";
  world.resolver.unavailable = false;

  ExpectDecision(Verdict::Deny, DecisionReason::ResourceNotFound,
                 Get("/instances/00000000-00000000-00000000-00000000-00000000/file"));
  EXPECT_TRUE(authority.questions.empty());

  authority.throwing = true;
  const AccessDecision thrown = Get("/studies/" + kStudyA);
  EXPECT_EQ(Verdict::Error, thrown.verdict);
  EXPECT_FALSE(thrown.Permits());
}

TEST_F(GateRemoteModeTests, TheLocalStoreIsNotConsultedForTokens)
{
  world.store.failing = true;
  ExpectDecision(Verdict::Allow, DecisionReason::ShareGrant, Get("/studies/" + kStudyA));
  EXPECT_EQ(0, world.store.lookups);
  // Even a token the local keys would accept is the service's to judge.
  world.store.failing = false;
  authority.grantedStudies.clear();
  const AccessDecision decision =
    world.gate.Decide(GateWorld::Get("/studies/" + kStudyA, GateWorld::Bearer(world.ShareToken("open"))));
  EXPECT_EQ(Verdict::Deny, decision.verdict);
  EXPECT_EQ(DecisionReason::RemoteRefused, decision.reason);
}

TEST_F(GateRemoteModeTests, PublicRoutesStaffAndMissingCredentialsNeverReachTheService)
{
  EXPECT_EQ(DecisionReason::PublicRoute, world.gate.Decide(GateWorld::Get("/share/app/index.html")).reason);
  ExpectDecision(Verdict::Deny, DecisionReason::NoCredentials,
                 world.gate.Decide(GateWorld::Get("/studies/" + kStudyA)));

  world.staff.AddPlainUser("admin", "admin-password-long", StaffRole::Admin);
  const HttpPairs basic = {{"authorization", BasicCredentials("admin", "admin-password-long")}};
  const AccessDecision staff = world.gate.Decide(GateWorld::Get("/patients/" + kPatientA, basic));
  EXPECT_EQ(Verdict::Allow, staff.verdict);
  EXPECT_EQ(DecisionReason::StaffAccess, staff.reason);

  HttpRequest two = GateWorld::Get("/studies/" + kStudyA, GateWorld::Bearer(kRemoteToken));
  two.arguments.push_back({"token", "another.token.value"});
  ExpectDecision(Verdict::Deny, DecisionReason::ConflictingTokens, world.gate.Decide(two));
  EXPECT_TRUE(authority.questions.empty());
}

TEST_F(GateRemoteModeTests, HeadRequestsAreAskedAsTheyCame)
{
  ExpectDecision(Verdict::Allow, DecisionReason::ShareGrant,
                 Decide(GateWorld::Request(HttpMethod::Head, "/studies/" + kStudyA)));
  ASSERT_EQ(1u, authority.questions.size());
  EXPECT_EQ(HttpMethod::Head, authority.questions[0].method);
}

TEST_F(GateRemoteModeTests, WhatCannotBeACompactJwsIsNeverAskedAbout)
{
  for (const std::string& token : {std::string("garbage"), std::string("a.b"), std::string("a.b.c.d"),
                                   std::string("a.b.c d"), std::string("a.b+/.c"), std::string(9000, 'x') + ".y.z"})
  {
    HttpRequest request = GateWorld::Get("/studies/" + kStudyA);
    request.headers.push_back({"token", token});
    const AccessDecision decision = world.gate.Decide(request);
    EXPECT_EQ(Verdict::Deny, decision.verdict) << token.substr(0, 20);
    EXPECT_EQ(DecisionReason::TokenRejected, decision.reason) << token.substr(0, 20);
  }
  EXPECT_TRUE(authority.questions.empty());
}

TEST_F(GateRemoteModeTests, TheServiceIsToldTheClientAddress)
{
  HttpRequest request = GateWorld::Get("/studies/" + kStudyA);
  request.clientAddress = "198.51.100.9";  // after TrustedProxies
  ExpectDecision(Verdict::Allow, DecisionReason::ShareGrant, Decide(request));
  ASSERT_EQ(1u, authority.questions.size());
  EXPECT_EQ("198.51.100.9", authority.questions[0].clientAddress);
}
