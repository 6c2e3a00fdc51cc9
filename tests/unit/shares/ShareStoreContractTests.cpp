// SPDX-License-Identifier: GPL-3.0-or-later
// The store contract: what every share store keeps and finds.
#include "ShareStoreContract.h"

using namespace studyshare;
using namespace studyshare::test;

TYPED_TEST_SUITE(ShareStoreContract, StoreKinds, StoreNames);

TYPED_TEST(ShareStoreContract, CreateAndLookupKeepEveryField)
{
  IShareStore& store = this->Store();
  Share share = MakeShare("s1", "alice", kNow, {Study(kStudyA, kStudyUidA), Study(kStudyB, kStudyUidB)});
  share.studies[0].patientId = "PAT1";
  share.studies[0].studyDate = "20240101";
  share.studies[0].studyDescription = "CT CHEST";
  share.permissions = static_cast<unsigned>(Permission::View) | static_cast<unsigned>(Permission::Download);
  share.expiresAt = kNow + 3600;
  share.maxUses = 3;
  share.uses = 1;
  share.passwordHash = "$argon2id$x";
  share.requireBirthDate = true;
  share.requireEmailCode = true;
  share.accessCodeHash = "digest";
  share.anonymize = false;
  share.note = "for Dr. Who – ünïcode";
  share.recipientJson = R"({"Email":"a@b.c"})";
  store.Create(share, Event("s1", kNow, "create"));

  const auto found = store.Lookup("s1");
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ("s1", found->id);
  ASSERT_EQ(2u, found->studies.size());
  EXPECT_EQ(kStudyA, found->studies[0].orthancId);
  EXPECT_EQ(kStudyUidA, found->studies[0].dicomUid);
  EXPECT_EQ("PAT1", found->studies[0].patientId);
  EXPECT_EQ("CT CHEST", found->studies[0].studyDescription);
  EXPECT_EQ(kStudyB, found->studies[1].orthancId);
  EXPECT_EQ(share.permissions, found->permissions);
  EXPECT_EQ(kNow + 3600, found->expiresAt);
  EXPECT_FALSE(found->revokedAt.has_value());
  EXPECT_EQ(3, found->maxUses);
  EXPECT_EQ(1, found->uses);
  EXPECT_EQ("$argon2id$x", found->passwordHash);
  EXPECT_TRUE(found->requireBirthDate);
  EXPECT_TRUE(found->requireEmailCode);
  EXPECT_EQ("digest", found->accessCodeHash);
  EXPECT_EQ("stone", found->viewer);
  EXPECT_EQ("alice", found->createdBy);
  EXPECT_EQ(share.note, found->note);
  EXPECT_EQ(share.recipientJson, found->recipientJson);
  EXPECT_FALSE(store.Lookup("s2").has_value());
  EXPECT_FALSE(store.Lookup("").has_value());
  EXPECT_FALSE(store.Lookup("s1' OR '1'='1").has_value());
}

TYPED_TEST(ShareStoreContract, NeverExpiringShareHasNoExpiry)
{
  IShareStore& store = this->Store();
  store.Create(MakeShare("s1", "alice", kNow), Event("s1", kNow, "create"));
  const auto found = store.Lookup("s1");
  ASSERT_TRUE(found);
  EXPECT_FALSE(found->expiresAt.has_value());
  EXPECT_FALSE(found->maxUses.has_value());
  EXPECT_EQ(ShareState::Active, found->StateAt(kNow + 100LL * 365 * 86400));
}

TYPED_TEST(ShareStoreContract, DuplicateIdIsRefusedAndNothingHalfWritten)
{
  IShareStore& store = this->Store();
  store.Create(MakeShare("s1", "alice", kNow), Event("s1", kNow, "create"));
  EXPECT_THROW(
    store.Create(MakeShare("s1", "bob", kNow + 1, {Study(kStudyB, kStudyUidB)}), Event("s1", kNow, "create")),
    StoreUnavailable);
  EXPECT_EQ("alice", store.Lookup("s1")->createdBy);
  EXPECT_EQ(1u, store.Lookup("s1")->studies.size());
  EXPECT_EQ(1u, store.ListAudit("s1").size());
}

TYPED_TEST(ShareStoreContract, ListFilters)
{
  IShareStore& store = this->Store();
  store.Create(MakeShare("a1", "alice", kNow - 30), Event("a1", kNow, "create"));
  store.Create(MakeShare("a2", "alice", kNow - 20, {Study(kStudyB, kStudyUidB)}), Event("a2", kNow, "create"));
  Share expired = MakeShare("b1", "bob", kNow - 10);
  expired.expiresAt = kNow - 1;
  store.Create(expired, Event("b1", kNow, "create"));
  Share exhausted = MakeShare("b2", "bob", kNow - 5);
  exhausted.maxUses = 2;
  exhausted.uses = 2;
  store.Create(exhausted, Event("b2", kNow, "create"));
  store.Create(MakeShare("b3", "bob", kNow - 1, {Study(kStudyB, kStudyUidB), Study(kStudyA, kStudyUidA)}),
               Event("b3", kNow, "create"));
  store.Revoke("a1", kNow, Event("a1", kNow, "revoke"));

  ShareFilter all;
  all.now = kNow;
  EXPECT_EQ((std::vector<std::string>{"b3", "b2", "b1", "a2", "a1"}), Ids(store.List(all)));

  ShareFilter byStudy = all;
  byStudy.studyOrthancId = kStudyA;
  EXPECT_EQ((std::vector<std::string>{"b3", "b2", "b1", "a1"}), Ids(store.List(byStudy)));

  ShareFilter byCreator = all;
  byCreator.createdBy = "alice";
  EXPECT_EQ((std::vector<std::string>{"a2", "a1"}), Ids(store.List(byCreator)));

  ShareFilter active = all;
  active.activeOnly = true;
  EXPECT_EQ((std::vector<std::string>{"b3", "a2"}), Ids(store.List(active)));

  ShareFilter combined = active;
  combined.createdBy = "bob";
  combined.studyOrthancId = kStudyA;
  EXPECT_EQ((std::vector<std::string>{"b3"}), Ids(store.List(combined)));

  ShareFilter nobody = all;
  nobody.createdBy = "mallory";
  EXPECT_TRUE(store.List(nobody).empty());

  // Listed shares carry their studies too.
  const auto listed = store.List(byCreator);
  ASSERT_EQ(2u, listed.size());
  EXPECT_EQ(kStudyB, listed[0].studies.at(0).orthancId);
}

TYPED_TEST(ShareStoreContract, ActiveOnlyExpiryBoundaryMatchesStateAt)
{
  IShareStore& store = this->Store();
  Share share = MakeShare("s1", "alice", kNow - 10);
  share.expiresAt = kNow;
  store.Create(share, Event("s1", kNow, "create"));
  ShareFilter active;
  active.activeOnly = true;
  active.now = kNow - 1;
  EXPECT_EQ(1u, store.List(active).size());
  EXPECT_EQ(ShareState::Active, share.StateAt(kNow - 1));
  active.now = kNow;
  EXPECT_EQ(0u, store.List(active).size());
  EXPECT_EQ(ShareState::Expired, share.StateAt(kNow));
}

TYPED_TEST(ShareStoreContract, RevokeKeepsTheFirstDate)
{
  IShareStore& store = this->Store();
  store.Create(MakeShare("s1", "alice", kNow), Event("s1", kNow, "create"));
  EXPECT_TRUE(store.Revoke("s1", kNow + 10, Event("s1", kNow + 10, "revoke")));
  EXPECT_TRUE(store.Revoke("s1", kNow + 20, Event("s1", kNow + 20, "revoke")));
  EXPECT_EQ(kNow + 10, store.Lookup("s1")->revokedAt);
  EXPECT_EQ(ShareState::Revoked, store.Lookup("s1")->StateAt(kNow));
  EXPECT_FALSE(store.Revoke("nope", kNow, Event("nope", kNow, "revoke")));
  EXPECT_TRUE(store.ListAudit("nope").empty());
}

TYPED_TEST(ShareStoreContract, AuditKeepsInsertionOrderPerShare)
{
  IShareStore& store = this->Store();
  store.Create(MakeShare("s1", "alice", kNow), Event("s1", kNow, "create"));
  store.Create(MakeShare("s2", "alice", kNow), Event("s2", kNow, "create"));
  store.AppendAudit(Event("s1", kNow + 50, "open", "success"));
  store.AppendAudit(Event("s2", kNow + 5, "open", "challenge-failed"));
  store.AppendAudit(Event("s1", kNow + 1, "download"));  // an earlier time, appended later
  store.Revoke("s1", kNow + 60, Event("s1", kNow + 60, "revoke"));
  const auto events = store.ListAudit("s1");
  ASSERT_EQ(4u, events.size());
  EXPECT_EQ("create", events[0].event);
  EXPECT_EQ("open", events[1].event);
  EXPECT_EQ("download", events[2].event);
  EXPECT_EQ("revoke", events[3].event);
  EXPECT_EQ(kNow + 50, events[1].at);
  EXPECT_EQ("alice", events[0].actor);
  EXPECT_EQ("127.0.0.1", events[0].clientAddress);
  EXPECT_EQ("unit-test", events[0].userAgent);
  const auto other = store.ListAudit("s2");
  ASSERT_EQ(2u, other.size());
  EXPECT_EQ("challenge-failed", other[1].outcome);
}

TYPED_TEST(ShareStoreContract, ConsumeUseStopsAtTheLimit)
{
  IShareStore& store = this->Store();
  Share share = MakeShare("s1", "alice", kNow);
  share.maxUses = 2;
  store.Create(share, Event("s1", kNow, "create"));
  store.Create(MakeShare("s2", "alice", kNow), Event("s2", kNow, "create"));
  EXPECT_TRUE(store.ConsumeUse("s1"));
  EXPECT_TRUE(store.ConsumeUse("s1"));
  EXPECT_FALSE(store.ConsumeUse("s1"));
  EXPECT_EQ(2, store.Lookup("s1")->uses);
  EXPECT_EQ(ShareState::Exhausted, store.Lookup("s1")->StateAt(kNow));
  EXPECT_TRUE(store.ConsumeUse("s2"));  // no limit
  EXPECT_FALSE(store.ConsumeUse("nope"));
}

TYPED_TEST(ShareStoreContract, FindByAccessCode)
{
  IShareStore& store = this->Store();
  Share share = MakeShare("s1", "alice", kNow);
  share.accessCodeHash = "code-digest";
  store.Create(share, Event("s1", kNow, "create"));
  store.Create(MakeShare("s2", "alice", kNow), Event("s2", kNow, "create"));
  ASSERT_TRUE(store.FindByAccessCode("code-digest").has_value());
  EXPECT_EQ("s1", store.FindByAccessCode("code-digest")->id);
  EXPECT_FALSE(store.FindByAccessCode("other").has_value());
  EXPECT_FALSE(store.FindByAccessCode("").has_value());  // shares without a code never match
}

TYPED_TEST(ShareStoreContract, FailedAttemptsAreCountedSince)
{
  IShareStore& store = this->Store();
  store.Create(MakeShare("s1", "alice", kNow), Event("s1", kNow, "create"));
  store.RecordFailedAttempt("s1", "192.0.2.1", kNow - 100);
  store.RecordFailedAttempt("s1", "192.0.2.1", kNow - 10);
  store.RecordFailedAttempt("s1", "192.0.2.2", kNow);
  EXPECT_EQ(3, store.CountFailedAttempts("s1", kNow - 1000));
  EXPECT_EQ(2, store.CountFailedAttempts("s1", kNow - 50));
  EXPECT_EQ(0, store.CountFailedAttempts("s2", 0));
}
