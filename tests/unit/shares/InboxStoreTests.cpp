// SPDX-License-Identifier: GPL-3.0-or-later
// Every store keeps inboxes: their kind and limits, the instances they claim
// (exclusive UIDs, limits that hold under parallel claims on two nodes), and
// what they received.
#include "ShareStoreContract.h"

#include <atomic>
#include <thread>

using namespace studyshare;
using namespace studyshare::test;

template <typename Backend>
class InboxStore : public ShareStoreContract<Backend>
{
};

TYPED_TEST_SUITE(InboxStore, StoreKinds, StoreNames);

namespace
{
  Share Inbox(const std::string& id, int64_t maxFiles = 100, int64_t maxBytes = 1000)
  {
    Share share = MakeShare(id, "alice", kNow, {});
    share.kind = ShareKind::Inbox;
    share.permissions = 0;
    share.inboxLimits.maxFiles = maxFiles;
    share.inboxLimits.maxUploadBytes = maxBytes;
    share.inboxLimits.maxFileBytes = 500;
    return share;
  }

  ReceivedInstance Instance(const std::string& inbox, const std::string& study, const std::string& sop,
                            int64_t bytes = 10)
  {
    ReceivedInstance instance;
    instance.shareId = inbox;
    instance.studyInstanceUid = study;
    instance.seriesInstanceUid = study + ".1";
    instance.sopInstanceUid = sop;
    instance.patientName = "DOE^JOHN";
    instance.modality = "CT";
    instance.bytes = bytes;
    instance.at = kNow;
    return instance;
  }
}

TYPED_TEST(InboxStore, KeepsTheKindAndLimits)
{
  this->Store().Create(Inbox("i1", 7, 900), Event("i1", kNow, "create"));
  this->Store().Create(MakeShare("s1", "alice", kNow), Event("s1", kNow, "create"));
  const auto inbox = this->OtherNode().Lookup("i1");
  ASSERT_TRUE(inbox.has_value());
  EXPECT_TRUE(inbox->IsInbox());
  EXPECT_EQ(7, inbox->inboxLimits.maxFiles);
  EXPECT_EQ(900, inbox->inboxLimits.maxUploadBytes);
  EXPECT_EQ(500, inbox->inboxLimits.maxFileBytes);
  EXPECT_FALSE(this->OtherNode().Lookup("s1")->IsInbox());
}

TYPED_TEST(InboxStore, ClaimsAreExclusiveAndOnlyCompletedInstancesAreListed)
{
  IShareStore& store = this->Store();
  const Share inbox = Inbox("i2");
  store.Create(inbox, Event("i2", kNow, "create"));
  store.Create(Inbox("i3"), Event("i3", kNow, "create"));
  const InboxLimits& limits = inbox.inboxLimits;

  EXPECT_EQ(InboxClaim::Claimed, store.ClaimInboxInstance(Instance("i2", "9.1", "9.1.1"), {}, limits));
  EXPECT_TRUE(store.ListReceived("i2").empty());  // claimed, not stored yet
  ReceivedInstance done = Instance("i2", "9.1", "9.1.1");
  done.orthancInstanceId = "instance-1";
  done.orthancStudyId = "study-1";
  store.CompleteInboxInstance(done);
  const auto received = this->OtherNode().ListReceived("i2");
  ASSERT_EQ(1u, received.size());
  EXPECT_EQ("study-1", received[0].orthancStudyId);
  EXPECT_EQ("DOE^JOHN", received[0].patientName);

  // Its own study, though Orthanc now holds it: accepted.
  EXPECT_EQ(InboxClaim::Claimed, store.ClaimInboxInstance(Instance("i2", "9.1", "9.1.2"), {true, false}, limits));
  EXPECT_EQ(InboxClaim::AlreadyReceived,
            store.ClaimInboxInstance(Instance("i2", "9.1", "9.1.1"), {true, true}, limits));
  // Another inbox: neither the instance nor the study.
  EXPECT_EQ(InboxClaim::OtherInbox, store.ClaimInboxInstance(Instance("i3", "9.1", "9.1.1"), {}, limits));
  EXPECT_EQ(InboxClaim::OtherInbox, store.ClaimInboxInstance(Instance("i3", "9.1", "9.1.3"), {}, limits));
  // What Orthanc holds from elsewhere.
  EXPECT_EQ(InboxClaim::StudyExists, store.ClaimInboxInstance(Instance("i3", "8.1", "8.1.1"), {true, false}, limits));
  EXPECT_EQ(InboxClaim::InstanceExists,
            store.ClaimInboxInstance(Instance("i3", "8.2", "8.2.1"), {false, true}, limits));
}

TYPED_TEST(InboxStore, LimitsHoldAndAReleaseGivesTheClaimBack)
{
  IShareStore& store = this->Store();
  const Share inbox = Inbox("i4", 2, 25);
  store.Create(inbox, Event("i4", kNow, "create"));
  EXPECT_EQ(InboxClaim::Claimed, store.ClaimInboxInstance(Instance("i4", "7.1", "7.1.1", 10), {}, inbox.inboxLimits));
  EXPECT_EQ(InboxClaim::TooManyBytes,
            store.ClaimInboxInstance(Instance("i4", "7.1", "7.1.2", 16), {}, inbox.inboxLimits));
  EXPECT_EQ(InboxClaim::Claimed, store.ClaimInboxInstance(Instance("i4", "7.1", "7.1.2", 15), {}, inbox.inboxLimits));
  EXPECT_EQ(InboxClaim::TooManyFiles,
            store.ClaimInboxInstance(Instance("i4", "7.1", "7.1.3", 1), {}, inbox.inboxLimits));
  store.ReleaseInboxInstance("i4", "7.1.2");
  store.ReleaseInboxInstance("i4", "7.1.1");
  // Released: the study is no longer this inbox's, so Orthanc's copy of it is not.
  EXPECT_EQ(InboxClaim::StudyExists,
            store.ClaimInboxInstance(Instance("i4", "7.1", "7.1.3", 1), {true, false}, inbox.inboxLimits));
  store.Create(Inbox("i5"), Event("i5", kNow, "create"));
  EXPECT_EQ(InboxClaim::Claimed, store.ClaimInboxInstance(Instance("i5", "7.1", "7.1.1"), {}, Inbox("i5").inboxLimits));
}

TYPED_TEST(InboxStore, ParallelClaimsOnTwoNodesStopExactlyAtMaxFiles)
{
  const Share inbox = Inbox("i6", 5, 1000000);
  this->Store().Create(inbox, Event("i6", kNow, "create"));
  IShareStore* nodes[] = {&this->Store(), &this->OtherNode()};
  std::atomic<int> claimed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; t++)
  {
    threads.emplace_back(
      [&, t]
      {
        for (int i = 0; i < 4; i++)
        {
          const std::string sop = "6.1." + std::to_string(t) + "." + std::to_string(i);
          if (nodes[t % 2]->ClaimInboxInstance(Instance("i6", "6.1", sop), {}, inbox.inboxLimits) ==
              InboxClaim::Claimed)
          {
            claimed++;
          }
        }
      });
  }
  for (std::thread& thread : threads)
  {
    thread.join();
  }
  EXPECT_EQ(5, claimed.load());
}
