// SPDX-License-Identifier: GPL-3.0-or-later
// Anonymized shares through the share API and the worker, with a scripted
// copier standing in for Orthanc's jobs (the integration tests use Orthanc).
#include "AnonymizationWorker.h"
#include "ShareApi.h"
#include "SqliteShareStore.h"
#include "TestSupport.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <deque>
#include <thread>

using namespace studyshare;
using namespace studyshare::test;

namespace
{
  constexpr const char* kCopyA = "c0000000-00000000-00000000-00000000-0000000a";       // the final copy
  constexpr const char* kFirstCopyA = "f0000000-00000000-00000000-00000000-0000000a";  // the first pass's

  class ScriptedCopier : public IStudyCopier
  {
  public:
    std::string StartCopy(const std::string& study, const std::string& body) override
    {
      if (refuseStart)
      {
        throw std::runtime_error("refused");
      }
      started.push_back(study);
      bodies.push_back(body);
      return "job-" + std::to_string(started.size());
    }
    std::string StartModification(const std::string& study, const std::string& body) override
    {
      modified.push_back(study);
      modificationBodies.push_back(body);
      return "modify-" + std::to_string(modified.size());
    }
    // The script first; then every job succeeds: an anonymization with the
    // first copy, a modification with the final one.
    Job ReadJob(const std::string& job) override
    {
      if (failReads > 0)
      {
        --failReads;
        throw std::runtime_error("Orthanc is restarting");
      }
      if (!script.empty())
      {
        Job scripted = script.front();
        script.pop_front();
        return scripted;
      }
      return {Job::State::Succeeded, job.rfind("modify-", 0) == 0 ? kCopyA : kFirstCopyA, ""};
    }
    void CancelJob(const std::string& job) override { cancelled.push_back(job); }
    void MarkCopy(const std::string& copy, const std::string& share) override { marked.emplace_back(copy, share); }
    std::vector<std::string> FindLeftovers(const std::string& pseudonym, const std::string&) override
    {
      searched.push_back(pseudonym);
      return leftovers;
    }
    bool DeleteCopy(const std::string& copy) override
    {
      deleted.push_back(copy);
      return true;
    }

    size_t Deletions(const std::string& study) const { return std::count(deleted.begin(), deleted.end(), study); }

    bool refuseStart = false;
    int failReads = 0;
    std::deque<Job> script;
    std::vector<std::string> started, bodies, modified, modificationBodies, deleted, cancelled, searched, leftovers;
    std::vector<std::pair<std::string, std::string>> marked;
  };

  class AnonymizationWorkerTests : public ::testing::Test
  {
  protected:
    AnonymizationWorkerTests()
    {
      keys.AddHmacKey("k1", kSecret);
      keys.SetSigningKey("k1");
      config.publicUrl = "https://share.example.org";
      config.anonymization.pollMilliseconds = 10;
      config.anonymization.dicomVersion = "2021b";
      catalog.Add(kStudyA, kStudyUidA);
      catalog.Add(kCopyA, "1.2.826.0.1.3680043.10.1.1");
      api.SetAnonymizationQueue(&queue);
    }

    struct RecordingQueue : IAnonymizationQueue
    {
      void Prepare(const std::string& id) override { prepared.push_back(id); }
      void ShareEnded(const std::string& id) override { ended.push_back(id); }
      std::vector<std::string> prepared, ended;
    };

    std::string CreateAnonymized(const std::string& extra = "")
    {
      const ApiResponse response = api.Create(R"({"Resources": [{"Level": "Study", "OrthancId": ")" +
                                                std::string(kStudyA) + R"("}], "Anonymize": true)" + extra + "}",
                                              {{"alice", StaffRole::Sharer}, "192.0.2.1", "unit-test"});
      EXPECT_EQ(201, response.status) << response.body.dump();
      return response.status == 201 ? response.body.at("ID").get<std::string>() : "";
    }

    TempDir dir;
    SqliteShareStore store{dir.File("shares.db")};
    FakeCatalog catalog;
    KeyRing keys;
    SharingSettings config;
    TokenSigner signer{keys};
    int64_t now = kNow;
    ShareApi api{config, store, catalog, signer, [this] { return now; }};
    RecordingQueue queue;
    ScriptedCopier copier;
    AnonymizationWorker worker{config.anonymization,     store, catalog, copier, [this] { return now; },
                               [](const std::string&) {}};
  };
}

TEST_F(AnonymizationWorkerTests, CreatedShareIsPendingNamesNothingAndIsQueued)
{
  const std::string id = CreateAnonymized();
  const auto share = store.Lookup(id);
  ASSERT_TRUE(share);
  EXPECT_TRUE(share->studies.empty());
  EXPECT_FALSE(share->IsPrepared());
  EXPECT_EQ(std::vector<std::string>{kStudyA}, share->anonymization.originals);
  EXPECT_EQ(std::vector<std::string>{id}, queue.prepared);
  const ApiResponse shown = api.Get(id, {{"alice", StaffRole::Sharer}, "", ""});
  EXPECT_EQ("Pending", shown.body["Anonymization"]["State"]);
  EXPECT_TRUE(shown.body["Anonymization"]["Error"].is_null());
}

TEST_F(AnonymizationWorkerTests, ReadyShareNamesTheMarkedCopyOfTheSecondPassNeverTheOriginal)
{
  const std::string id = CreateAnonymized();
  copier.script = {{IStudyCopier::Job::State::Running, "", ""},
                   {IStudyCopier::Job::State::Succeeded, kFirstCopyA, ""},
                   {IStudyCopier::Job::State::Running, "", ""},
                   {IStudyCopier::Job::State::Succeeded, kCopyA, ""}};
  worker.Process(id);
  const auto share = store.Lookup(id);
  ASSERT_TRUE(share->IsPrepared());
  ASSERT_EQ(1u, share->studies.size());
  EXPECT_EQ(kCopyA, share->studies[0].orthancId);
  EXPECT_EQ(std::vector<std::string>{kStudyA}, copier.started);
  // The second pass rewrites the first copy, which then goes: the final copy's only source.
  EXPECT_EQ(std::vector<std::string>{kFirstCopyA}, copier.modified);
  EXPECT_EQ(std::vector<std::string>{kFirstCopyA}, copier.deleted);
  EXPECT_TRUE(share->anonymization.intermediate.empty());
  EXPECT_EQ(std::vector<std::string>{kCopyA}, share->anonymization.copies);
  const nlohmann::json second = nlohmann::json::parse(copier.modificationBodies.at(0));
  EXPECT_EQ(false, second["KeepSource"]);
  EXPECT_EQ(true, second["Asynchronous"]);
  EXPECT_FALSE(second.contains("Replace"));  // no new value: the tags stay as the first pass left them
  EXPECT_TRUE(second["Keep"].empty());
  ASSERT_EQ(1u, copier.marked.size());
  EXPECT_EQ(kCopyA, copier.marked[0].first);
  EXPECT_EQ(id, copier.marked[0].second);
  const nlohmann::json body = nlohmann::json::parse(copier.bodies.at(0));
  EXPECT_EQ(true, body["Asynchronous"]);
  EXPECT_EQ(false, body["KeepPrivateTags"]);
  EXPECT_EQ("2021b", body["DicomVersion"]);
  EXPECT_EQ(0u, body["Replace"]["PatientName"].get<std::string>().find("ANONYMIZED^"));
  EXPECT_EQ("anonymize", store.ListAudit(id).back().event);
  EXPECT_EQ("success", store.ListAudit(id).back().outcome);
}

TEST_F(AnonymizationWorkerTests, FailedJobIsRecordedWithItsReasonAndAudited)
{
  const std::string id = CreateAnonymized();
  copier.script = {{IStudyCopier::Job::State::Failed, "", "disk full"}};
  worker.Process(id);
  const auto share = store.Lookup(id);
  EXPECT_EQ(AnonymizationState::Failed, share->anonymization.state);
  EXPECT_NE(std::string::npos, share->anonymization.error.find("disk full"));
  EXPECT_TRUE(share->studies.empty());
  EXPECT_EQ("failure", store.ListAudit(id).back().outcome);
}

TEST_F(AnonymizationWorkerTests, LostJobIsStartedAgain)
{
  const std::string id = CreateAnonymized();
  copier.script = {{IStudyCopier::Job::State::Unknown, "", ""}};
  worker.Process(id);
  EXPECT_EQ(2u, copier.started.size());
  EXPECT_TRUE(store.Lookup(id)->IsPrepared());
}

TEST_F(AnonymizationWorkerTests, RevocationAndExpiryDeleteTheCopyUnlessTheSiteKeepsIt)
{
  const std::string revoked = CreateAnonymized();
  worker.Process(revoked);
  ASSERT_EQ(200, api.Revoke(revoked, {{"alice", StaffRole::Sharer}, "", ""}).status);
  EXPECT_EQ(std::vector<std::string>{revoked}, queue.ended);
  worker.CleanUpEnded();
  EXPECT_EQ(1u, copier.Deletions(kCopyA));
  EXPECT_TRUE(store.Lookup(revoked)->anonymization.copiesDeleted);
  EXPECT_EQ("delete-copies", store.ListAudit(revoked).back().event);
  worker.CleanUpEnded();
  EXPECT_EQ(1u, copier.Deletions(kCopyA));  // once

  const std::string expiring = CreateAnonymized(R"(, "ValidityDuration": 60)");
  worker.Process(expiring);
  worker.CleanUpEnded();
  EXPECT_EQ(1u, copier.Deletions(kCopyA));  // still active
  now += 61;
  worker.CleanUpEnded();
  EXPECT_EQ(2u, copier.Deletions(kCopyA));

  config.anonymization.keepCopiesAfterShareEnds = true;
  const std::string kept = CreateAnonymized(R"(, "ValidityDuration": 60)");
  worker.Process(kept);
  now += 61;
  worker.CleanUpEnded();
  EXPECT_EQ(2u, copier.Deletions(kCopyA));
}

TEST_F(AnonymizationWorkerTests, RefusalsStoreNothing)
{
  SeriesPixelText ultrasound;
  ultrasound.orthancId = kSeriesA;
  ultrasound.modality = "US";
  SeriesPixelText burned;
  burned.orthancId = kSeriesA;
  burned.modality = "CT";
  burned.burnedInAnnotation = true;
  SeriesPixelText capture;
  capture.orthancId = kSeriesA;
  capture.modality = "DX";
  capture.secondaryCapture = true;
  const ApiCaller alice{{"alice", StaffRole::Sharer}, "", ""};
  const std::string body =
    R"({"Resources": [{"Level": "Study", "OrthancId": ")" + std::string(kStudyA) + R"("}], "Anonymize": true)";
  for (const SeriesPixelText& series : {ultrasound, burned, capture})
  {
    catalog.pixelText[kStudyA] = {series};
    const ApiResponse refused = api.Create(body + "}", alice);
    EXPECT_EQ(400, refused.status) << series.modality;
    EXPECT_NE(std::string::npos, refused.body["Message"].get<std::string>().find("AllowBurnedInAnnotation"));
  }
  EXPECT_TRUE(store.List({}).empty());
  EXPECT_TRUE(queue.prepared.empty());
  EXPECT_EQ(201, api.Create(body + R"(, "AllowBurnedInAnnotation": true})", alice).status);

  catalog.pixelText.clear();
  catalog.copyOwners[kCopyA] = "share-x";
  const ApiResponse copy =
    api.Create(R"({"Resources": [{"Level": "Study", "OrthancId": ")" + std::string(kCopyA) + R"("}]})", alice);
  EXPECT_EQ(400, copy.status);
  EXPECT_NE(std::string::npos, copy.body["Message"].get<std::string>().find("share-x"));
  EXPECT_EQ(1u, store.List({}).size());
}

TEST_F(AnonymizationWorkerTests, WithoutAQueueAnonymizeIsRefused)
{
  api.SetAnonymizationQueue(nullptr);
  const ApiResponse refused = api.Create(
    R"({"Resources": [{"Level": "Study", "OrthancId": ")" + std::string(kStudyA) + R"("}], "Anonymize": true})",
    {{"alice", StaffRole::Sharer}, "", ""});
  EXPECT_EQ(400, refused.status);
  EXPECT_TRUE(store.List({}).empty());
}

TEST_F(AnonymizationWorkerTests, JobOfAnEarlierRunIsStoppedItsOutputDeletedAndTheShareFails)
{
  const std::string id = CreateAnonymized();
  ShareAnonymization interrupted = store.Lookup(id)->anonymization;
  interrupted.state = AnonymizationState::Running;
  interrupted.jobId = "job-of-the-last-run";
  interrupted.jobPseudonym = "Anonymized-ABCDE";
  store.UpdateAnonymization(id, interrupted, std::nullopt, std::nullopt);
  copier.script = {{IStudyCopier::Job::State::Running, "", ""},
                   {IStudyCopier::Job::State::Running, "", ""},
                   {IStudyCopier::Job::State::Failed, "", "canceled"}};
  copier.leftovers = {"half-made-copy"};

  worker.Process(id);

  EXPECT_EQ(std::vector<std::string>{"job-of-the-last-run"}, copier.cancelled);
  EXPECT_EQ(std::vector<std::string>{"Anonymized-ABCDE"}, copier.searched);
  EXPECT_EQ(std::vector<std::string>{"half-made-copy"}, copier.deleted);
  EXPECT_TRUE(copier.started.empty());
  const auto share = store.Lookup(id);
  EXPECT_EQ(AnonymizationState::Failed, share->anonymization.state);
  EXPECT_NE(std::string::npos, share->anonymization.error.find("restart")) << share->anonymization.error;
  EXPECT_TRUE(share->studies.empty());
}

TEST_F(AnonymizationWorkerTests, JobThisRunStartedIsFollowedNotAbandoned)
{
  const std::string id = CreateAnonymized();
  copier.script = {{IStudyCopier::Job::State::Running, "", ""},
                   {IStudyCopier::Job::State::Succeeded, kFirstCopyA, ""},
                   {IStudyCopier::Job::State::Running, "", ""}};
  worker.Process(id);
  EXPECT_TRUE(copier.cancelled.empty());
  EXPECT_TRUE(store.Lookup(id)->IsPrepared());
  EXPECT_FALSE(store.Lookup(id)->anonymization.jobPseudonym.empty());
}

namespace
{
  ShareAnonymization Recorded(SqliteShareStore& store, const std::string& id, const std::string& jobId,
                              const std::string& intermediate)
  {
    ShareAnonymization recorded = store.Lookup(id)->anonymization;
    recorded.state = AnonymizationState::Running;
    recorded.jobId = jobId;
    recorded.jobPseudonym = "ANONYMIZED^ABCDE";
    recorded.intermediate = intermediate;
    store.UpdateAnonymization(id, recorded, std::nullopt, std::nullopt);
    return recorded;
  }
}

TEST_F(AnonymizationWorkerTests, SecondPassOfAnEarlierRunIsStoppedAndBothCopiesDeleted)
{
  const std::string id = CreateAnonymized();
  Recorded(store, id, "modify-of-the-last-run", kFirstCopyA);
  copier.script = {{IStudyCopier::Job::State::Running, "", ""}, {IStudyCopier::Job::State::Failed, "", "canceled"}};
  copier.leftovers = {"half-made-final-copy", kFirstCopyA};  // both carry the pseudonym and no mark

  worker.Process(id);

  EXPECT_EQ(std::vector<std::string>{"modify-of-the-last-run"}, copier.cancelled);
  EXPECT_EQ(1u, copier.Deletions("half-made-final-copy"));
  EXPECT_EQ(1u, copier.Deletions(kFirstCopyA));
  EXPECT_TRUE(copier.started.empty());
  EXPECT_TRUE(copier.modified.empty());
  const auto share = store.Lookup(id);
  EXPECT_EQ(AnonymizationState::Failed, share->anonymization.state);
  EXPECT_NE(std::string::npos, share->anonymization.error.find("restart")) << share->anonymization.error;
  EXPECT_TRUE(share->anonymization.intermediate.empty());
  EXPECT_TRUE(share->anonymization.copiesDeleted);
  EXPECT_TRUE(share->studies.empty());
  // Deleted before the share says Failed: whoever reads Failed finds nothing left.
  const auto audit = store.ListAudit(id);
  ASSERT_GE(audit.size(), 2u);
  EXPECT_EQ("delete-copies", audit[audit.size() - 2].event);
  EXPECT_EQ("failure", audit.back().outcome);
}

TEST_F(AnonymizationWorkerTests, RestartBetweenThePassesStartsTheSecondOnTheRecordedFirstCopy)
{
  const std::string id = CreateAnonymized();
  Recorded(store, id, "", kFirstCopyA);
  worker.Process(id);
  EXPECT_TRUE(copier.started.empty());
  EXPECT_EQ(std::vector<std::string>{kFirstCopyA}, copier.modified);
  const auto share = store.Lookup(id);
  ASSERT_TRUE(share->IsPrepared());
  EXPECT_EQ(kCopyA, share->studies.at(0).orthancId);
}

TEST_F(AnonymizationWorkerTests, LostSecondPassDeletesWhatItWroteAndCopiesTheOriginalAgain)
{
  const std::string id = CreateAnonymized();
  copier.script = {{IStudyCopier::Job::State::Succeeded, kFirstCopyA, ""}, {IStudyCopier::Job::State::Unknown, "", ""}};
  copier.leftovers = {"half-made-final-copy"};
  worker.Process(id);
  EXPECT_EQ(1u, copier.Deletions("half-made-final-copy"));
  EXPECT_EQ(2u, copier.Deletions(kFirstCopyA));  // the lost pass's, then the new pass's own
  EXPECT_EQ((std::vector<std::string>{kStudyA, kStudyA}), copier.started);
  ASSERT_EQ(1u, copier.searched.size());
  // A new pseudonym for the new copy, and the search was for the lost pass's.
  const std::string first = nlohmann::json::parse(copier.bodies.at(0))["Replace"]["PatientName"];
  const std::string second = nlohmann::json::parse(copier.bodies.at(1))["Replace"]["PatientName"];
  EXPECT_EQ(first, copier.searched[0]);
  EXPECT_NE(first, second);
  EXPECT_TRUE(store.Lookup(id)->IsPrepared());
}

TEST_F(AnonymizationWorkerTests, FailedSecondPassDeletesTheFirstCopy)
{
  const std::string id = CreateAnonymized();
  copier.script = {{IStudyCopier::Job::State::Succeeded, kFirstCopyA, ""},
                   {IStudyCopier::Job::State::Failed, "", "disk full"}};
  worker.Process(id);
  const auto share = store.Lookup(id);
  EXPECT_EQ(AnonymizationState::Failed, share->anonymization.state);
  EXPECT_NE(std::string::npos, share->anonymization.error.find("rewrite")) << share->anonymization.error;
  EXPECT_NE(std::string::npos, share->anonymization.error.find("disk full"));
  EXPECT_EQ(std::vector<std::string>{kFirstCopyA}, copier.deleted);
  EXPECT_TRUE(share->studies.empty());
}

TEST_F(AnonymizationWorkerTests, SecondPassKeepsTheUidsTheSiteKeepsAndNothingElse)
{
  config.anonymization.keep = {"StudyInstanceUID", "0020,000E", "PatientSex"};
  const std::string id = CreateAnonymized();
  worker.Process(id);
  const nlohmann::json second = nlohmann::json::parse(copier.modificationBodies.at(0));
  EXPECT_EQ((nlohmann::json{"StudyInstanceUID", "SeriesInstanceUID"}), second["Keep"]);
  EXPECT_EQ(true, second["Force"]);
  EXPECT_TRUE(store.Lookup(id)->IsPrepared());
}

TEST_F(AnonymizationWorkerTests, AnErrorOfOrthancIsRetriedOnTheThreadNotLeftWaiting)
{
  const std::string id = CreateAnonymized();
  copier.failReads = 1;
  worker.Prepare(id);
  worker.Start();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!store.Lookup(id)->IsPrepared() && std::chrono::steady_clock::now() < deadline)
  {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  worker.Stop();
  EXPECT_TRUE(store.Lookup(id)->IsPrepared());
  EXPECT_EQ(0, copier.failReads);
}
