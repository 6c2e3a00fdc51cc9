// SPDX-License-Identifier: GPL-3.0-or-later
// Shares by label ({"Level": "Label"}): through the whole gate, a share of the
// label "teaching" reaches the studies carrying it at the time of each
// request, by every route family, and nothing else.
#include "Gate.h"

#include "FakeStudyLabels.h"
#include "GateWorld.h"

#include <gtest/gtest.h>

using namespace studyshare;
using namespace studyshare::test;

namespace
{
  struct LabelShareWorld : GateWorld
  {
    LabelShareWorld()
    {
      AddShare("by-label", [](Share& s) { s.studies = {SharedStudy::ForLabel("teaching")}; });
      AddShare("by-label-dl",
               [](Share& s)
               {
                 s.studies = {SharedStudy::ForLabel("teaching")};
                 s.permissions |= static_cast<unsigned>(Permission::Download);
               });
      AddShare("by-label-password",
               [](Share& s)
               {
                 s.studies = {SharedStudy::ForLabel("teaching")};
                 s.passwordHash = "$argon2id$v=19$m=65536,t=2,p=1$fake$fake";
               });
      AddShare("by-label-revoked",
               [](Share& s)
               {
                 s.studies = {SharedStudy::ForLabel("teaching")};
                 s.revokedAt = kNow - 10;
               });
      gate.SetStudyLabels(&labels);
    }

    AccessDecision As(const std::string& share, HttpMethod method, const std::string& uri, HttpPairs arguments = {})
    {
      return gate.Decide(Request(method, uri, std::move(arguments), Bearer(ShareToken(share))));
    }

    AccessDecision Get(const std::string& uri, HttpPairs arguments = {})
    {
      return As("by-label", HttpMethod::Get, uri, std::move(arguments));
    }

    FakeStudyLabels labels;
  };

  struct Case
  {
    const char* name;
    HttpMethod method;
    std::string uri;
    HttpPairs arguments;
    bool allowed;
  };

  std::vector<Case> Cases()
  {
    const HttpMethod get = HttpMethod::Get;
    const HttpMethod post = HttpMethod::Post;
    return {
      // study A carries the label: every family that names it
      {"study", get, "/studies/" + kStudyA, {}, true},
      {"study_series", get, "/studies/" + kStudyA + "/series", {}, true},
      {"series_of_a", get, "/series/" + kSeriesA, {}, true},
      {"instance_of_a", get, "/instances/" + kInstanceA + "/preview", {}, true},
      {"wado_rs_a", get, "/dicom-web/studies/" + kStudyUidA + "/metadata", {}, true},
      {"qido_filtered_a", get, "/dicom-web/studies", {{"StudyInstanceUID", kStudyUidA}}, true},
      {"qido_series_of_a", get, "/dicom-web/studies/" + kStudyUidA + "/series", {}, true},
      {"wado_uri_a", get, "/wado", {{"requestType", "WADO"}, {"objectUID", kSopUidA}}, true},
      {"system", get, "/system", {}, true},
      // B carries other labels, C none
      {"study_b", get, "/studies/" + kStudyB, {}, false},
      {"study_c", get, "/studies/" + kStudyC, {}, false},
      {"series_of_b", get, "/series/" + kSeriesB, {}, false},
      {"instance_of_b", get, "/instances/" + kInstanceB + "/preview", {}, false},
      {"wado_rs_b", get, "/dicom-web/studies/" + kStudyUidB + "/metadata", {}, false},
      {"qido_filtered_b", get, "/dicom-web/studies", {{"StudyInstanceUID", kStudyUidB}}, false},
      {"wado_uri_b", get, "/wado", {{"requestType", "WADO"}, {"objectUID", kSopUidB}}, false},
      // hierarchy is checked: B's series under A's study UID
      {"series_b_under_a", get, "/dicom-web/studies/" + kStudyUidA + "/series/" + kSeriesUidB + "/metadata", {}, false},
      // a UID under two patients, one of them unlabelled: all must be granted
      {"shared_uid", get, "/dicom-web/studies/" + kStudyUidShared + "/metadata", {}, false},
      {"unknown_study", get, "/studies/00000000-00000000-00000000-00000000-00000000", {}, false},
      // the label itself is no resource, and lists and searches stay refused
      {"label_as_study_id", get, "/studies/teaching", {}, false},
      {"all_studies", get, "/studies", {}, false},
      {"all_series", get, "/series", {}, false},
      {"patients", get, "/patients", {}, false},
      {"tools_find", post, "/tools/find", {}, false},
      {"tools_labels", get, "/tools/labels", {}, false},
      {"study_labels_route", get, "/studies/" + kStudyA + "/labels", {}, false},
      {"qido_unfiltered", get, "/dicom-web/studies", {}, false},
      {"qido_by_patient", get, "/dicom-web/studies", {{"PatientID", "A"}}, false},
      {"qido_all_series", get, "/dicom-web/series", {}, false},
      {"changes", get, "/changes", {}, false},
      // no write on a labelled study
      {"delete_a", HttpMethod::Delete, "/studies/" + kStudyA, {}, false},
      {"remove_label", HttpMethod::Delete, "/studies/" + kStudyA + "/labels/teaching", {}, false},
      {"anonymize_a", post, "/studies/" + kStudyA + "/anonymize", {}, false},
    };
  }
}

TEST(LabelShareTests, AttackTableForAShareByLabel)
{
  LabelShareWorld world;
  for (const Case& c : Cases())
  {
    SCOPED_TRACE(c.name);
    const AccessDecision decision = world.As("by-label", c.method, c.uri, c.arguments);
    EXPECT_EQ(decision.Permits(), c.allowed) << ToString(decision.reason) << " " << decision.detail;
  }
}

TEST(LabelShareTests, TheLabelIsReadAtEachRequest)
{
  LabelShareWorld world;
  ASSERT_TRUE(world.Get("/studies/" + kStudyA).Permits());
  ASSERT_FALSE(world.Get("/studies/" + kStudyB).Permits());
  // labelled later: granted at once; the label removed: refused at once
  world.labels.labels[kStudyB].push_back("teaching");
  EXPECT_TRUE(world.Get("/studies/" + kStudyB).Permits());
  EXPECT_TRUE(world.Get("/series/" + kSeriesB).Permits());
  world.labels.labels[kStudyA] = {"archived"};
  EXPECT_FALSE(world.Get("/studies/" + kStudyA).Permits());
  EXPECT_FALSE(world.Get("/series/" + kSeriesA).Permits());
  EXPECT_FALSE(world.Get("/wado", {{"requestType", "WADO"}, {"objectUID", kSopUidA}}).Permits());
  // the same UID under two patients opens once both carry the label
  world.labels.labels[kStudyA] = {"teaching"};
  world.labels.labels[kStudyC] = {"teaching"};
  EXPECT_TRUE(world.Get("/dicom-web/studies/" + kStudyUidShared + "/metadata").Permits());
  // the resolver's cache keeps the hierarchy, never the labels
  const int before = world.labels.reads;
  world.Get("/series/" + kSeriesA);
  world.Get("/series/" + kSeriesA);
  EXPECT_EQ(before + 2, world.labels.reads);
}

TEST(LabelShareTests, FailsClosedWhenLabelsCannotBeRead)
{
  LabelShareWorld world;
  world.labels.unavailable = true;
  for (const std::string& uri : {"/studies/" + kStudyA, "/series/" + kSeriesA})
  {
    const AccessDecision decision = world.Get(uri);
    EXPECT_FALSE(decision.Permits()) << uri;
    EXPECT_EQ(Verdict::Error, decision.verdict) << uri;
  }
  // a share of studies does not ask for labels at all
  EXPECT_TRUE(world.As("open", HttpMethod::Get, "/studies/" + kStudyA).Permits());
}

TEST(LabelShareTests, WithoutALabelSourceAShareByLabelGrantsNothing)
{
  GateWorld world;
  world.AddShare("by-label", [](Share& s) { s.studies = {SharedStudy::ForLabel("teaching")}; });
  const AccessDecision decision =
    world.gate.Decide(GateWorld::Get("/studies/" + kStudyA, GateWorld::Bearer(world.ShareToken("by-label"))));
  EXPECT_FALSE(decision.Permits());
}

TEST(LabelShareTests, PermissionsProtectionsAndStatesHoldAsForAnyShare)
{
  LabelShareWorld world;
  EXPECT_FALSE(world.Get("/studies/" + kStudyA + "/archive").Permits());
  EXPECT_TRUE(world.As("by-label-dl", HttpMethod::Get, "/studies/" + kStudyA + "/archive").Permits());
  EXPECT_FALSE(world.As("by-label-dl", HttpMethod::Get, "/studies/" + kStudyB + "/archive").Permits());
  // a protected share opens images only through a session
  const AccessDecision direct = world.As("by-label-password", HttpMethod::Get, "/studies/" + kStudyA);
  EXPECT_EQ(DecisionReason::ShareNeedsSession, direct.reason);
  const HttpRequest session =
    GateWorld::Get("/studies/" + kStudyA, GateWorld::Bearer(world.SessionToken("by-label-password")));
  EXPECT_TRUE(world.gate.Decide(session).Permits());
  const AccessDecision revoked = world.As("by-label-revoked", HttpMethod::Get, "/studies/" + kStudyA);
  EXPECT_EQ(DecisionReason::ShareRevoked, revoked.reason);
}

TEST(LabelShareTests, ALabelRowBesideStudiesGrantsOnlyTheStudies)
{
  // Never made by the API; a store that held it must not widen the share.
  LabelShareWorld world;
  world.AddShare("mixed",
                 [](Share& s) {
                   s.studies = {SharedStudy::ForLabel("teaching"), Study(kStudyB, kStudyUidB)};
                 });
  EXPECT_TRUE(world.As("mixed", HttpMethod::Get, "/studies/" + kStudyB).Permits());
  EXPECT_FALSE(world.As("mixed", HttpMethod::Get, "/studies/" + kStudyA).Permits());
}

TEST(LabelShareTests, TheStoresKeepALabelRowAsItWasMade)
{
  LabelShareWorld world;
  const std::optional<Share> stored = world.backing.Lookup("by-label");
  ASSERT_TRUE(stored);
  EXPECT_EQ("teaching", stored->SharedLabel().value_or(""));
  ASSERT_EQ(1u, stored->studies.size());
  EXPECT_TRUE(stored->studies[0].orthancId.empty());
  EXPECT_FALSE(world.backing.Lookup("open")->SharedLabel());
}

TEST(LabelShareTests, ThePostgresStoreKeepsALabelRowToo)
{
  if (PostgresTestCluster::SkipRequested())
  {
    GTEST_SKIP() << "STUDYSHARE_SKIP_POSTGRES=1: the PostgreSQL store is not tested";
  }
  GateWorld world(GateSettings(), GateStore::Postgres);
  world.AddShare("pg-by-label", [](Share& s) { s.studies = {SharedStudy::ForLabel("teaching")}; });
  const std::optional<Share> stored = world.backing.Lookup("pg-by-label");
  ASSERT_TRUE(stored);
  EXPECT_EQ("teaching", stored->SharedLabel().value_or(""));
}
