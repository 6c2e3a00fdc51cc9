// SPDX-License-Identifier: GPL-3.0-or-later
// Short tests of the small helpers (one suite per class).
#include "CachingResolver.h"
#include "DicomQueryArguments.h"
#include "PasswordHasher.h"
#include "ResourceRef.h"
#include "Share.h"
#include "StaffAccessRules.h"
#include "StaffDirectory.h"

#include "TestSupport.h"

#include <gtest/gtest.h>

#include <thread>

using namespace studyshare;
using namespace studyshare::test;

TEST(ResourceRefTests, OrthancIds)
{
  EXPECT_TRUE(IsOrthancId(kStudyA));
  EXPECT_TRUE(IsOrthancId("00000000-00000000-00000000-00000000-00000000"));
  for (const std::string& bad :
       {std::string(""), kStudyA.substr(1), kStudyA + "0", std::string("6B9E19D9-62094390-5F9DDB01-4A191AE7-E7C01C29"),
        std::string("6b9e19d9_62094390-5f9ddb01-4a191ae7-e7c01c29"), std::string(44, 'a'),
        std::string("6b9e19d9-62094390-5f9ddb01-4a191ae7-e7c01c2g")})
  {
    EXPECT_FALSE(IsOrthancId(bad)) << bad;
  }
}

TEST(ResourceRefTests, DicomUids)
{
  EXPECT_TRUE(IsDicomUid(kStudyUidA));
  EXPECT_TRUE(IsDicomUid("1"));
  EXPECT_TRUE(IsDicomUid(std::string(64, '1')));
  for (const std::string& bad : {std::string(""), std::string(65, '1'), std::string(".1.2"), std::string("1.2."),
                                 std::string("1.2a"), std::string("1,2"), std::string("1 2"), std::string("*")})
  {
    EXPECT_FALSE(IsDicomUid(bad)) << bad;
  }
}

TEST(DicomQueryArgumentsTests, ClassifiesKeysByteForByte)
{
  EXPECT_EQ(ResourceLevel::Study, ClassifyUidFilterKey("StudyInstanceUID"));
  EXPECT_EQ(ResourceLevel::Study, ClassifyUidFilterKey("0020000D"));
  EXPECT_EQ(ResourceLevel::Study, ClassifyUidFilterKey("0020000d"));
  EXPECT_EQ(ResourceLevel::Study, ClassifyUidFilterKey("0020,000D"));
  EXPECT_EQ(ResourceLevel::Series, ClassifyUidFilterKey("SeriesInstanceUID"));
  EXPECT_EQ(ResourceLevel::Series, ClassifyUidFilterKey("0020,000e"));
  EXPECT_EQ(ResourceLevel::Instance, ClassifyUidFilterKey("SOPInstanceUID"));
  EXPECT_EQ(ResourceLevel::Instance, ClassifyUidFilterKey("00080018"));
  for (const char* ignored : {"studyinstanceuid", "StudyInstanceUid", "0020%2C000D", "(0020,000D)", "0x0020000D",
                              "0020000D ", "00200,00D", "PatientID", ""})
  {
    EXPECT_FALSE(ClassifyUidFilterKey(ignored).has_value()) << ignored;
  }
}

TEST(DicomQueryArgumentsTests, WadoUriReadsTheServedObject)
{
  const HttpPairs arguments = {{"requestType", "WADO"}, {"studyUID", ""}, {"objectUID", kSopUidA}};
  const ArgumentReading reading = ReadWadoUriArguments(arguments);
  EXPECT_TRUE(reading.problem.empty());
  ASSERT_EQ(1u, reading.resources.size());
  EXPECT_EQ((ResourceView{ResourceLevel::Instance, IdKind::DicomUid, kSopUidA}), reading.resources[0]);
  const HttpPairs repeated = {{"objectUID", kSopUidA}, {"objectUID", kSopUidB}};
  EXPECT_FALSE(ReadWadoUriArguments(repeated).problem.empty());
  EXPECT_FALSE(ReadWadoUriArguments(kNoArguments).problem.empty());
}

TEST(ShareTests, StateAtAndOpensDirectly)
{
  Share share;
  share.expiresAt = kNow + 10;
  EXPECT_EQ(ShareState::Active, share.StateAt(kNow + 9));
  EXPECT_EQ(ShareState::Expired, share.StateAt(kNow + 10));
  share.maxUses = 1;
  share.uses = 1;
  EXPECT_EQ(ShareState::Exhausted, share.StateAt(kNow));
  share.revokedAt = kNow;
  EXPECT_EQ(ShareState::Revoked, share.StateAt(kNow + 100));  // revocation wins over everything
  EXPECT_STREQ("revoked", ToString(ShareState::Revoked));

  Share open;
  EXPECT_TRUE(open.OpensDirectly());
  EXPECT_TRUE(open.Has(Permission::View));
  EXPECT_FALSE(open.Has(Permission::Download));
  for (auto protect :
       std::vector<void (*)(Share&)>{[](Share& s) { s.passwordHash = "h"; },
                                     [](Share& s) { s.requireBirthDate = true; },
                                     [](Share& s) { s.accessCodeHash = "c"; }, [](Share& s) { s.maxUses = 100; }})
  {
    Share s;
    protect(s);
    EXPECT_FALSE(s.OpensDirectly());
  }
}

TEST(CachingResolverTests, CachesFoundAnswersForOrthancIdsOnly)
{
  FakeResolver inner;
  PopulateWorld(inner);
  CachingResolver cache(inner, 100, std::chrono::seconds(60));
  const ResourceRef series{ResourceLevel::Series, IdKind::OrthancId, kSeriesA};
  const ResourceRef uid{ResourceLevel::Study, IdKind::DicomUid, kStudyUidA};
  const ResourceRef unknown{ResourceLevel::Instance, IdKind::OrthancId, "00000000-00000000-00000000-00000000-00000000"};
  EXPECT_EQ(std::vector<std::string>{kStudyA}, cache.ResolveStudies(series).studies);
  EXPECT_EQ(std::vector<std::string>{kStudyA}, cache.ResolveStudies(series).studies);
  EXPECT_EQ(std::vector<std::string>{kStudyA}, cache.ResolveStudies(uid).studies);
  cache.ResolveStudies(uid);
  cache.ResolveStudies(unknown);
  cache.ResolveStudies(unknown);
  EXPECT_EQ(5, inner.calls);  // the series once; the UID and the unknown ID every time
  EXPECT_EQ(1u, cache.GetSize());
  inner.unavailable = true;
  EXPECT_EQ(ResolutionStatus::Found, cache.ResolveStudies(series).status);
  // A UID may name another resource by now (deleted and re-created on another node): always asked.
  EXPECT_EQ(ResolutionStatus::Unavailable, cache.ResolveStudies(uid).status);
  cache.Clear();
  EXPECT_EQ(0u, cache.GetSize());
  EXPECT_EQ(ResolutionStatus::Unavailable, cache.ResolveStudies(series).status);
}

TEST(CachingResolverTests, CapacityAndLifetimeBound)
{
  FakeResolver inner;
  PopulateWorld(inner);
  CachingResolver small(inner, 1, std::chrono::seconds(60));
  small.ResolveStudies({ResourceLevel::Series, IdKind::OrthancId, kSeriesA});
  small.ResolveStudies({ResourceLevel::Series, IdKind::OrthancId, kSeriesB});
  EXPECT_EQ(1u, small.GetSize());
  CachingResolver none(inner, 0, std::chrono::seconds(60));
  none.ResolveStudies({ResourceLevel::Series, IdKind::OrthancId, kSeriesA});
  EXPECT_EQ(0u, none.GetSize());
  CachingResolver brief(inner, 10, std::chrono::seconds(0));
  const int before = inner.calls;
  brief.ResolveStudies({ResourceLevel::Series, IdKind::OrthancId, kSeriesA});
  brief.ResolveStudies({ResourceLevel::Series, IdKind::OrthancId, kSeriesA});
  EXPECT_EQ(before + 2, inner.calls);
}

TEST(PasswordHasherTests, HashAndVerify)
{
  const std::string hash = PasswordHasher::Hash("correct horse");
  EXPECT_TRUE(PasswordHasher::LooksLikeHash(hash));
  EXPECT_EQ(0u, hash.find("$argon2id$"));
  EXPECT_TRUE(PasswordHasher::Verify(hash, "correct horse"));
  EXPECT_FALSE(PasswordHasher::Verify(hash, "correct horsE"));
  EXPECT_FALSE(PasswordHasher::Verify(hash, ""));
  EXPECT_FALSE(PasswordHasher::Verify("plain", "plain"));
  EXPECT_FALSE(PasswordHasher::Verify("$argon2id$garbage", "x"));
  EXPECT_NE(hash, PasswordHasher::Hash("correct horse"));  // salted
}

TEST(StaffDirectoryTests, UsersAndBasicHeaders)
{
  StaffDirectory staff;
  EXPECT_TRUE(staff.IsEmpty());
  staff.AddPlainUser("orthanc", "pw:with:colons", StaffRole::Admin);
  EXPECT_THROW(staff.AddPlainUser("orthanc", "x", StaffRole::Admin), std::invalid_argument);
  EXPECT_THROW(staff.AddPlainUser("a:b", "x", StaffRole::Admin), std::invalid_argument);
  EXPECT_THROW(staff.AddPlainUser("", "x", StaffRole::Admin), std::invalid_argument);
  EXPECT_THROW(staff.AddHashedUser("sam", "not-a-hash", StaffRole::Sharer), std::invalid_argument);
  EXPECT_TRUE(staff.Authenticate("orthanc", "pw:with:colons").has_value());
  EXPECT_FALSE(staff.Authenticate("orthanc", "pw").has_value());
  EXPECT_FALSE(staff.Authenticate("Orthanc", "pw:with:colons").has_value());
  // "orthanc:pw:with:colons"
  EXPECT_TRUE(staff.AuthenticateBasic("Basic b3J0aGFuYzpwdzp3aXRoOmNvbG9ucw==").has_value());
  EXPECT_TRUE(staff.AuthenticateBasic("basic   b3J0aGFuYzpwdzp3aXRoOmNvbG9ucw==  ").has_value());
  EXPECT_FALSE(staff.AuthenticateBasic("Bearer b3J0aGFuYzpwdzp3aXRoOmNvbG9ucw==").has_value());
  EXPECT_FALSE(staff.AuthenticateBasic("Basic b3J0aGFuYw==").has_value());  // no colon
  EXPECT_FALSE(staff.AuthenticateBasic("Basic ====").has_value());
  EXPECT_FALSE(staff.AuthenticateBasic("Basic b3J0a=GFuYzpwdw==").has_value());
  EXPECT_EQ(StaffRole::Admin, ParseStaffRole("admin"));
  EXPECT_EQ(StaffRole::Sharer, ParseStaffRole("sharer"));
  EXPECT_FALSE(ParseStaffRole("Admin").has_value());
}

TEST(StaffAccessRulesTests, SharerLimits)
{
  const StaffUser sharer{"sam", StaffRole::Sharer};
  const StaffUser admin{"root", StaffRole::Admin};
  EXPECT_TRUE(DecideForStaff(admin, HttpMethod::Delete, "/patients/" + kPatientA).Permits());
  EXPECT_TRUE(DecideForStaff(sharer, HttpMethod::Get, "/patients/" + kPatientA).Permits());
  EXPECT_TRUE(DecideForStaff(sharer, HttpMethod::Get, "/studyshare/shares").Permits());
  EXPECT_TRUE(DecideForStaff(sharer, HttpMethod::Post, "/studyshare/shares").Permits());
  EXPECT_TRUE(DecideForStaff(sharer, HttpMethod::Delete, "/studyshare/shares/x").Permits());
  EXPECT_TRUE(DecideForStaff(sharer, HttpMethod::Post, "/tools/find").Permits());
  EXPECT_TRUE(DecideForStaff(sharer, HttpMethod::Put, "/auth/tokens/stone-viewer-publication").Permits());
  EXPECT_FALSE(DecideForStaff(sharer, HttpMethod::Put, "/auth/tokens/../../studies/x").Permits());
  EXPECT_FALSE(DecideForStaff(sharer, HttpMethod::Delete, "/auth/tokens/x").Permits());
  EXPECT_FALSE(DecideForStaff(sharer, HttpMethod::Put, "/auth/tokensX").Permits());
  EXPECT_FALSE(DecideForStaff(sharer, HttpMethod::Head, "/webdav/").Permits());
  EXPECT_FALSE(DecideForStaff(sharer, HttpMethod::Get, "/webdav/by-studies").Permits());
  EXPECT_FALSE(DecideForStaff(sharer, HttpMethod::Put, "/studyshare/shares/x").Permits());
  EXPECT_FALSE(DecideForStaff(sharer, HttpMethod::Delete, "/studyshare/sharesX").Permits());
  EXPECT_FALSE(DecideForStaff(sharer, HttpMethod::Post, "/modalities/pacs/store").Permits());
  EXPECT_FALSE(DecideForStaff(sharer, HttpMethod::Get, "/a//b").Permits());
  EXPECT_EQ(DecisionReason::StaffRoleForbids, DecideForStaff(sharer, HttpMethod::Delete, "/studies/x").reason);
}
