// SPDX-License-Identifier: GPL-3.0-or-later
#include "AccessPolicy.h"

#include "TestSupport.h"

#include <gtest/gtest.h>

#include <deque>

using namespace studyshare;
using namespace studyshare::test;

namespace
{
  Share ShareOfA(unsigned permissions = static_cast<unsigned>(Permission::View))
  {
    Share share;
    share.id = "s";
    share.studies = {Study(kStudyA, kStudyUidA)};
    share.permissions = permissions;
    return share;
  }

  // A target borrows the text of its resources: the test keeps every one alive.
  RequestTarget Target(RouteAccess access, const std::vector<ResourceRef>& resources, std::string problem = "")
  {
    static std::deque<ResourceRef> kept;
    RequestTarget target;
    target.access = access;
    target.route = "test-route";
    for (const ResourceRef& resource : resources)
    {
      target.resources.push_back(kept.emplace_back(resource));
    }
    target.problem = std::move(problem);
    return target;
  }

  class AccessPolicyTests : public ::testing::Test
  {
  protected:
    void SetUp() override { PopulateWorld(resolver); }
    FakeResolver resolver;
    AccessPolicy policy{resolver};
  };
}

TEST_F(AccessPolicyTests, AmbiguousIsDeniedWhateverTheAccess)
{
  const auto d =
    policy.Decide(Target(RouteAccess::Read, {{ResourceLevel::Study, IdKind::OrthancId, kStudyA}}, "x"), ShareOfA());
  EXPECT_EQ(Verdict::Deny, d.verdict);
  EXPECT_EQ(DecisionReason::AmbiguousRequest, d.reason);
  EXPECT_EQ(Verdict::Deny, policy.Decide(Target(RouteAccess::Public, {}, "x"), ShareOfA()).verdict);
}

TEST_F(AccessPolicyTests, RouteKinds)
{
  EXPECT_EQ(DecisionReason::PublicRoute, policy.Decide(Target(RouteAccess::Public, {}), ShareOfA()).reason);
  EXPECT_TRUE(policy.Decide(Target(RouteAccess::AnyShare, {}), ShareOfA()).Permits());
  const auto staff =
    policy.Decide(Target(RouteAccess::StaffOnly, {{ResourceLevel::Study, IdKind::OrthancId, kStudyA}}), ShareOfA());
  EXPECT_EQ(DecisionReason::RouteNotShareable, staff.reason);
}

TEST_F(AccessPolicyTests, ReadWithoutResourcesIsDenied)
{
  for (RouteAccess access : {RouteAccess::Read, RouteAccess::QidoSearch, RouteAccess::WadoUri})
  {
    const auto d = policy.Decide(Target(access, {}), ShareOfA());
    EXPECT_EQ(Verdict::Deny, d.verdict);
    EXPECT_EQ(DecisionReason::AmbiguousRequest, d.reason);
  }
}

TEST_F(AccessPolicyTests, PermissionsGateRoutes)
{
  const ResourceRef study{ResourceLevel::Study, IdKind::OrthancId, kStudyA};
  EXPECT_EQ(DecisionReason::PermissionMissing,
            policy.Decide(Target(RouteAccess::Download, {study}), ShareOfA()).reason);
  EXPECT_TRUE(policy
                .Decide(Target(RouteAccess::Download, {study}),
                        ShareOfA(static_cast<unsigned>(Permission::View) | static_cast<unsigned>(Permission::Download)))
                .Permits());
  // A share without View reads nothing, whatever else it has.
  const Share downloadOnly = ShareOfA(static_cast<unsigned>(Permission::Download));
  EXPECT_EQ(DecisionReason::PermissionMissing, policy.Decide(Target(RouteAccess::Read, {study}), downloadOnly).reason);
  EXPECT_EQ(DecisionReason::PermissionMissing,
            policy.Decide(Target(RouteAccess::QidoSearch, {study}), downloadOnly).reason);
  EXPECT_EQ(DecisionReason::PermissionMissing,
            policy.Decide(Target(RouteAccess::WadoUri, {study}), downloadOnly).reason);
}

TEST_F(AccessPolicyTests, EveryResourceMustBeGranted)
{
  const ResourceRef a{ResourceLevel::Study, IdKind::OrthancId, kStudyA};
  const ResourceRef b{ResourceLevel::Study, IdKind::OrthancId, kStudyB};
  const ResourceRef seriesA{ResourceLevel::Series, IdKind::DicomUid, kSeriesUidA};
  const ResourceRef seriesB{ResourceLevel::Series, IdKind::DicomUid, kSeriesUidB};
  EXPECT_TRUE(policy.Decide(Target(RouteAccess::Read, {a, seriesA}), ShareOfA()).Permits());
  EXPECT_EQ(DecisionReason::ResourceNotGranted, policy.Decide(Target(RouteAccess::Read, {a, b}), ShareOfA()).reason);
  EXPECT_EQ(DecisionReason::ResourceNotGranted,
            policy.Decide(Target(RouteAccess::Read, {seriesA, seriesB}), ShareOfA()).reason);
  EXPECT_EQ(DecisionReason::ResourceNotGranted, policy.Decide(Target(RouteAccess::Read, {b, a}), ShareOfA()).reason);
}

TEST_F(AccessPolicyTests, OrthancStudyIdsAreCheckedWithoutTheResolver)
{
  resolver.unavailable = true;
  EXPECT_TRUE(policy.Decide(Target(RouteAccess::Read, {{ResourceLevel::Study, IdKind::OrthancId, kStudyA}}), ShareOfA())
                .Permits());
  EXPECT_EQ(0, resolver.calls);
}

TEST_F(AccessPolicyTests, PatientLevelIsNeverShareable)
{
  const auto d =
    policy.Decide(Target(RouteAccess::Read, {{ResourceLevel::Patient, IdKind::OrthancId, kPatientA}}), ShareOfA());
  EXPECT_EQ(Verdict::Deny, d.verdict);
  EXPECT_EQ(DecisionReason::RouteNotShareable, d.reason);
}

TEST_F(AccessPolicyTests, ResolverAnswers)
{
  const ResourceRef unknown{ResourceLevel::Instance, IdKind::OrthancId, "00000000-00000000-00000000-00000000-00000000"};
  EXPECT_EQ(DecisionReason::ResourceNotFound, policy.Decide(Target(RouteAccess::Read, {unknown}), ShareOfA()).reason);
  resolver.Add(ResourceLevel::Series, IdKind::OrthancId, kSeriesB, {});
  EXPECT_EQ(DecisionReason::ResourceNotFound,
            policy.Decide(Target(RouteAccess::Read, {{ResourceLevel::Series, IdKind::OrthancId, kSeriesB}}), ShareOfA())
              .reason);
  const ResourceRef shared{ResourceLevel::Study, IdKind::DicomUid, kStudyUidShared};
  EXPECT_EQ(DecisionReason::ResourceNotGranted, policy.Decide(Target(RouteAccess::Read, {shared}), ShareOfA()).reason);
  Share both = ShareOfA();
  both.studies.push_back(Study(kStudyC, kStudyUidShared));
  EXPECT_TRUE(policy.Decide(Target(RouteAccess::Read, {shared}), both).Permits());
  resolver.unavailable = true;
  const auto d =
    policy.Decide(Target(RouteAccess::Read, {{ResourceLevel::Instance, IdKind::OrthancId, kInstanceA}}), ShareOfA());
  EXPECT_EQ(Verdict::Error, d.verdict);
  EXPECT_EQ(DecisionReason::ResolverUnavailable, d.reason);
  EXPECT_FALSE(d.Permits());
}

TEST_F(AccessPolicyTests, ReasonNamesAreDistinct)
{
  std::set<std::string> names;
  for (int r = 0; r <= static_cast<int>(DecisionReason::InternalError); r++)
  {
    names.insert(ToString(static_cast<DecisionReason>(r)));
  }
  EXPECT_EQ(static_cast<size_t>(DecisionReason::InternalError) + 1, names.size());
}
