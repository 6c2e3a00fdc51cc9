// SPDX-License-Identifier: GPL-3.0-or-later
// Every store keeps an anonymized share's progress and swaps its studies for
// the copies in one step.
#include "ShareStoreContract.h"

using namespace studyshare;
using namespace studyshare::test;

template <typename Backend>
class AnonymizationStore : public ShareStoreContract<Backend>
{
};

TYPED_TEST_SUITE(AnonymizationStore, StoreKinds, StoreNames);

namespace
{
  Share PendingShare(const std::string& id)
  {
    Share share = MakeShare(id, "alice", kNow, {});
    share.anonymize = true;
    share.anonymization.originals = {kStudyA, kStudyB};
    return share;
  }
}

TYPED_TEST(AnonymizationStore, PendingShareNamesNoStudyAndKeepsItsOriginals)
{
  IShareStore& store = this->Store();
  store.Create(PendingShare("a1"), Event("a1", kNow, "create"));
  const auto found = store.Lookup("a1");
  ASSERT_TRUE(found.has_value());
  EXPECT_TRUE(found->anonymize);
  EXPECT_EQ(AnonymizationState::Pending, found->anonymization.state);
  EXPECT_EQ((std::vector<std::string>{kStudyA, kStudyB}), found->anonymization.originals);
  EXPECT_TRUE(found->studies.empty());
  EXPECT_FALSE(found->IsPrepared());
}

TYPED_TEST(AnonymizationStore, ReadyReplacesTheStudiesWithTheCopiesAndAudits)
{
  IShareStore& store = this->Store();
  store.Create(PendingShare("a2"), Event("a2", kNow, "create"));
  ShareAnonymization running = store.Lookup("a2")->anonymization;
  running.state = AnonymizationState::Running;
  running.jobId = "job-1";
  ASSERT_TRUE(store.UpdateAnonymization("a2", running, std::nullopt, std::nullopt));
  EXPECT_EQ("job-1", this->OtherNode().Lookup("a2")->anonymization.jobId);

  ShareAnonymization ready = running;
  ready.state = AnonymizationState::Ready;
  ready.copies = {kStudyC, kStudyB};
  ready.jobId.clear();
  ASSERT_TRUE(store.UpdateAnonymization("a2", ready, std::vector<SharedStudy>{Study(kStudyC, kStudyUidB)},
                                        Event("a2", kNow + 5, "anonymize")));
  const auto found = this->OtherNode().Lookup("a2");
  ASSERT_TRUE(found.has_value());
  EXPECT_TRUE(found->IsPrepared());
  EXPECT_EQ((std::vector<std::string>{kStudyC, kStudyB}), found->anonymization.copies);
  ASSERT_EQ(1u, found->studies.size());
  EXPECT_EQ(kStudyC, found->studies[0].orthancId);
  const auto audit = store.ListAudit("a2");
  ASSERT_EQ(2u, audit.size());
  EXPECT_EQ("anonymize", audit[1].event);
  ShareFilter byCopy;
  byCopy.studyOrthancId = kStudyC;
  EXPECT_EQ(std::vector<std::string>{"a2"}, Ids(store.List(byCopy)));
}

TYPED_TEST(AnonymizationStore, FailedKeepsTheReasonAndOrdinarySharesAreNotTouched)
{
  IShareStore& store = this->Store();
  store.Create(PendingShare("a3"), Event("a3", kNow, "create"));
  store.Create(MakeShare("plain", "alice", kNow), Event("plain", kNow, "create"));
  ShareAnonymization failed;
  failed.state = AnonymizationState::Failed;
  failed.error = "Orthanc's job failed: disk full";
  EXPECT_TRUE(store.UpdateAnonymization("a3", failed, std::nullopt, std::nullopt));
  EXPECT_EQ("Orthanc's job failed: disk full", store.Lookup("a3")->anonymization.error);
  EXPECT_EQ(AnonymizationState::Failed, store.Lookup("a3")->anonymization.state);
  EXPECT_FALSE(store.UpdateAnonymization("plain", failed, std::vector<SharedStudy>{}, std::nullopt));
  EXPECT_EQ(1u, store.Lookup("plain")->studies.size());
  EXPECT_FALSE(store.UpdateAnonymization("missing", failed, std::nullopt, std::nullopt));
}
