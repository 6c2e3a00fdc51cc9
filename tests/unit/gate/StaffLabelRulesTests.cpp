// SPDX-License-Identifier: GPL-3.0-or-later
// Sharers limited to labelled studies (Users.{name}.Labels): through the
// whole gate, an attack table of routes that list, search or name studies.
#include "Gate.h"
#include "StaffLabelRules.h"

#include "FakeStudyLabels.h"
#include "GateWorld.h"

#include <gtest/gtest.h>

using namespace studyshare;
using namespace studyshare::test;

namespace
{
  const HttpPairs kCarol = {{"authorization", "Basic Y2Fyb2w6Y2Fyb2wtcGFzcw=="}};  // carol:carol-pass
  const HttpPairs kSam = {{"authorization", "Basic c2FtOnNhbS1wYXNz"}};            // sam:sam-pass

  struct LabelWorld : GateWorld
  {
    LabelWorld()
    {
      staff.AddPlainUser("carol", "carol-pass", StaffRole::Sharer);
      staff.SetLabels("carol", {"teaching"});
      staff.AddPlainUser("sam", "sam-pass", StaffRole::Sharer);
      gate.SetStudyLabels(&labels);
    }

    AccessDecision Carol(HttpMethod method, const std::string& uri, HttpPairs arguments = {})
    {
      return gate.Decide(Request(method, uri, std::move(arguments), kCarol));
    }

    FakeStudyLabels labels;
  };

  struct LabelCase
  {
    const char* name;
    HttpMethod method;
    std::string uri;
    HttpPairs arguments;
    bool allowed;
  };

  std::vector<LabelCase> Cases()
  {
    const HttpMethod get = HttpMethod::Get;
    const HttpMethod post = HttpMethod::Post;
    return {
      // the labelled study A, by every family
      {"study", get, "/studies/" + kStudyA, {}, true},
      {"study_archive", get, "/studies/" + kStudyA + "/archive", {}, true},
      {"series_of_a", get, "/series/" + kSeriesA, {}, true},
      {"instance_of_a", get, "/instances/" + kInstanceA + "/preview", {}, true},
      {"wado_rs_a", get, "/dicom-web/studies/" + kStudyUidA + "/metadata", {}, true},
      {"qido_filtered_a", get, "/dicom-web/studies", {{"StudyInstanceUID", kStudyUidA}}, true},
      {"wado_uri_a", get, "/wado", {{"requestType", "WADO"}, {"objectUID", kSopUidA}}, true},
      {"system", get, "/system", {}, true},
      {"oe2_configuration", get, "/ui/api/configuration", {}, true},
      {"own_shares", get, "/studyshare/shares", {}, true},
      {"make_share", post, "/studyshare/shares", {}, true},
      // study B carries other labels; C none
      {"study_b", get, "/studies/" + kStudyB, {}, false},
      {"study_c", get, "/studies/" + kStudyC, {}, false},
      {"series_of_b", get, "/series/" + kSeriesB, {}, false},
      {"instance_of_b", get, "/instances/" + kInstanceB + "/file", {}, false},
      {"wado_rs_b", get, "/dicom-web/studies/" + kStudyUidB + "/metadata", {}, false},
      {"qido_filtered_b", get, "/dicom-web/studies", {{"StudyInstanceUID", kStudyUidB}}, false},
      {"wado_uri_b", get, "/wado", {{"requestType", "WADO"}, {"objectUID", kSopUidB}}, false},
      // hierarchy is checked: B's series under A's study UID
      {"series_b_under_a", get, "/dicom-web/studies/" + kStudyUidA + "/series/" + kSeriesUidB, {}, false},
      // a UID under two patients, one of them unlabelled
      {"shared_uid", get, "/dicom-web/studies/" + kStudyUidShared + "/metadata", {}, false},
      // unknown resources
      {"unknown_study", get, "/studies/00000000-00000000-00000000-00000000-00000000", {}, false},
      // lists and searches that cannot be filtered
      {"all_studies", get, "/studies", {}, false},
      {"all_studies_expand", get, "/studies", {{"expand", ""}}, false},
      {"all_series", get, "/series", {}, false},
      {"all_instances", get, "/instances", {}, false},
      {"patients", get, "/patients", {}, false},
      {"patient_of_a", get, "/patients/abc/studies", {}, false},
      {"tools_find", post, "/tools/find", {}, false},
      {"tools_lookup", post, "/tools/lookup", {}, false},
      {"tools_labels", get, "/tools/labels", {}, false},
      {"study_labels_route", get, "/studies/" + kStudyA + "/labels", {}, false},
      {"qido_unfiltered", get, "/dicom-web/studies", {}, false},
      {"qido_by_patient", get, "/dicom-web/studies", {{"PatientID", "A"}}, false},
      {"qido_all_series", get, "/dicom-web/series", {}, false},
      {"changes", get, "/changes", {}, false},
      {"statistics", get, "/statistics", {}, false},
      {"oe2_studies_api", get, "/ui/api/studies", {}, false},
      {"explorer_unknown", get, "/unknown/route", {}, false},
    };
  }
}

TEST(StaffLabelRulesTests, AttackTableForALabelLimitedSharer)
{
  LabelWorld world;
  for (const LabelCase& c : Cases())
  {
    SCOPED_TRACE(c.name);
    const AccessDecision decision = world.Carol(c.method, c.uri, c.arguments);
    EXPECT_EQ(decision.Permits(), c.allowed) << ToString(decision.reason) << " " << decision.detail;
  }
}

TEST(StaffLabelRulesTests, AnUnlimitedSharerKeepsTheRoleRules)
{
  LabelWorld world;
  EXPECT_TRUE(world.gate.Decide(GateWorld::Request(HttpMethod::Get, "/studies", {}, kSam)).Permits());
  EXPECT_TRUE(world.gate.Decide(GateWorld::Request(HttpMethod::Get, "/studies/" + kStudyB, {}, kSam)).Permits());
  EXPECT_TRUE(world.gate.Decide(GateWorld::Request(HttpMethod::Post, "/tools/find", {}, kSam)).Permits());
}

TEST(StaffLabelRulesTests, WritesStayRefusedForALabelledStudy)
{
  LabelWorld world;
  EXPECT_FALSE(world.Carol(HttpMethod::Delete, "/studies/" + kStudyA).Permits());
  EXPECT_FALSE(world.Carol(HttpMethod::Put, "/studies/" + kStudyA + "/labels/teaching").Permits());
  EXPECT_FALSE(world.Carol(HttpMethod::Post, "/studies/" + kStudyA + "/anonymize").Permits());
}

TEST(StaffLabelRulesTests, AMembershipIsReadAtEachRequest)
{
  LabelWorld world;
  ASSERT_TRUE(world.Carol(HttpMethod::Get, "/studies/" + kStudyA).Permits());
  world.labels.labels[kStudyA] = {"archived"};
  EXPECT_FALSE(world.Carol(HttpMethod::Get, "/studies/" + kStudyA).Permits());
  world.labels.labels[kStudyB].push_back("teaching");
  EXPECT_TRUE(world.Carol(HttpMethod::Get, "/studies/" + kStudyB).Permits());
}

TEST(StaffLabelRulesTests, FailsClosedWhenLabelsOrTheResolverCannotBeRead)
{
  LabelWorld world;
  world.labels.unavailable = true;
  AccessDecision decision = world.Carol(HttpMethod::Get, "/studies/" + kStudyA);
  EXPECT_FALSE(decision.Permits());
  EXPECT_EQ(decision.verdict, Verdict::Error);
  world.labels.unavailable = false;
  world.resolver.unavailable = true;
  decision = world.Carol(HttpMethod::Get, "/series/" + kSeriesA);
  EXPECT_FALSE(decision.Permits());
  EXPECT_EQ(decision.verdict, Verdict::Error);
}

TEST(StaffLabelRulesTests, WithoutALabelSourceALimitedSharerGetsNothing)
{
  GateWorld world;
  world.staff.AddPlainUser("carol", "carol-pass", StaffRole::Sharer);
  world.staff.SetLabels("carol", {"teaching"});
  EXPECT_FALSE(world.gate.Decide(GateWorld::Request(HttpMethod::Get, "/studies/" + kStudyA, {}, kCarol)).Permits());
}

TEST(StaffLabelRulesTests, OnlySharersMayBeLimited)
{
  StaffDirectory staff;
  staff.AddPlainUser("root", "x", StaffRole::Admin);
  EXPECT_THROW(staff.SetLabels("root", {"teaching"}), std::invalid_argument);
  EXPECT_THROW(staff.SetLabels("nobody", {"teaching"}), std::invalid_argument);
}

TEST(StaffLabelRulesTests, ShareCreationNamesOnlyLabelledStudies)
{
  StaffDirectory staff;
  staff.AddPlainUser("carol", "x", StaffRole::Sharer);
  staff.SetLabels("carol", {"teaching"});
  staff.AddPlainUser("sam", "x", StaffRole::Sharer);
  FakeStudyLabels labels;
  EXPECT_FALSE(RefuseUnlabelledStudies(staff, &labels, "carol", {kStudyA}));
  EXPECT_FALSE(RefuseUnlabelledStudies(staff, &labels, "sam", {kStudyB}));
  auto refusal = RefuseUnlabelledStudies(staff, &labels, "carol", {kStudyA, kStudyB});
  ASSERT_TRUE(refusal);
  EXPECT_EQ(refusal->status, 403);
  EXPECT_TRUE(RefuseUnlabelledStudies(staff, nullptr, "carol", {kStudyA}));
  labels.unavailable = true;
  refusal = RefuseUnlabelledStudies(staff, &labels, "carol", {kStudyA});
  ASSERT_TRUE(refusal);
  EXPECT_EQ(refusal->status, 503);
}
