// SPDX-License-Identifier: GPL-3.0-or-later
// The store contract for staff changes to a share: failed-attempt times
// (when a lockout ends), unlocking, a new access code, the accession number.
#include "ShareStoreContract.h"

using namespace studyshare;
using namespace studyshare::test;

template <typename Backend>
class ShareStoreLockout : public ShareStoreContract<Backend>
{
};

TYPED_TEST_SUITE(ShareStoreLockout, StoreKinds, StoreNames);

TYPED_TEST(ShareStoreLockout, FailedAttemptTimesComeNewestFirstSinceTheGivenTime)
{
  IShareStore& store = this->Store();
  store.Create(MakeShare("s1", "alice", kNow), Event("s1", kNow, "create"));
  store.Create(MakeShare("s2", "alice", kNow), Event("s2", kNow, "create"));
  store.RecordFailedAttempt("s1", "192.0.2.1", kNow - 100);
  store.RecordFailedAttempt("s1", "192.0.2.1", kNow - 10);
  store.RecordFailedAttempt("s1", "192.0.2.2", kNow - 20);
  store.RecordFailedAttempt("s2", "192.0.2.2", kNow);
  EXPECT_EQ((std::vector<int64_t>{kNow - 10, kNow - 20, kNow - 100}), store.ListFailedAttemptTimes("s1", 0));
  EXPECT_EQ((std::vector<int64_t>{kNow - 10, kNow - 20}), store.ListFailedAttemptTimes("s1", kNow - 20));
  EXPECT_TRUE(store.ListFailedAttemptTimes("nope", 0).empty());
}

TYPED_TEST(ShareStoreLockout, ClearingFailedAttemptsUnlocksOnlyThatShareAndIsAudited)
{
  IShareStore& store = this->Store();
  store.Create(MakeShare("s1", "alice", kNow), Event("s1", kNow, "create"));
  store.Create(MakeShare("s2", "alice", kNow), Event("s2", kNow, "create"));
  for (int i = 0; i < 3; i++)
  {
    ASSERT_TRUE(store.ReserveFailedAttempt("s1", "192.0.2.1", kNow, kNow - 60, 3).has_value());
  }
  store.RecordFailedAttempt("s2", "192.0.2.1", kNow);
  EXPECT_FALSE(store.ReserveFailedAttempt("s1", "192.0.2.1", kNow, kNow - 60, 3).has_value());

  EXPECT_TRUE(store.ClearFailedAttempts("s1", Event("s1", kNow + 1, "unlock")));
  EXPECT_EQ(0, store.CountFailedAttempts("s1", 0));
  EXPECT_EQ(1, store.CountFailedAttempts("s2", 0));
  EXPECT_TRUE(store.ReserveFailedAttempt("s1", "192.0.2.1", kNow + 2, kNow - 60, 3).has_value());
  const std::vector<AuditEvent> events = store.ListAudit("s1");
  ASSERT_EQ(2u, events.size());
  EXPECT_EQ("unlock", events.back().event);
  EXPECT_FALSE(store.ClearFailedAttempts("nope", Event("nope", kNow, "unlock")));
  EXPECT_TRUE(store.ListAudit("nope").empty());
}

TYPED_TEST(ShareStoreLockout, ReplacingTheAccessCodeRetiresTheOldOne)
{
  IShareStore& store = this->Store();
  Share share = MakeShare("s1", "alice", kNow);
  share.accessCodeHash = "old-digest";
  store.Create(share, Event("s1", kNow, "create"));
  ASSERT_TRUE(store.Lookup("s1").has_value());

  EXPECT_TRUE(store.ReplaceAccessCode("s1", "new-digest", Event("s1", kNow + 1, "access-code")));
  EXPECT_FALSE(store.FindByAccessCode("old-digest").has_value());
  ASSERT_TRUE(store.FindByAccessCode("new-digest").has_value());
  EXPECT_EQ("new-digest", store.Lookup("s1")->accessCodeHash);
  EXPECT_EQ("access-code", store.ListAudit("s1").back().event);
  EXPECT_FALSE(store.ReplaceAccessCode("nope", "x", Event("nope", kNow, "access-code")));
  EXPECT_TRUE(store.ListAudit("nope").empty());
}

TYPED_TEST(ShareStoreLockout, KeepsTheAccessionNumberOfEachStudy)
{
  IShareStore& store = this->Store();
  Share share = MakeShare("s1", "alice", kNow, {Study(kStudyA, kStudyUidA), Study(kStudyB, kStudyUidB)});
  share.studies[0].accessionNumber = "ACC-2026-0042";
  store.Create(share, Event("s1", kNow, "create"));
  const std::optional<Share> found = store.Lookup("s1");
  ASSERT_TRUE(found.has_value());
  ASSERT_EQ(2u, found->studies.size());
  EXPECT_EQ("ACC-2026-0042", found->studies[0].accessionNumber);
  EXPECT_EQ("", found->studies[1].accessionNumber);
  ShareFilter all;
  EXPECT_EQ("ACC-2026-0042", store.List(all).at(0).studies.at(0).accessionNumber);
}
