// SPDX-License-Identifier: GPL-3.0-or-later
#include "AnonymizationWorker.h"

#include "Crypto.h"

#include <nlohmann/json.hpp>

#include <chrono>

namespace studyshare
{
  namespace
  {
    constexpr const char* kActor = "studyshare";
    constexpr int kMaxJobRestarts = 3;  // a job lost this many times marks the share Failed

    std::string PseudonymFor(const std::string& shareId)
    {
      // Random, not derived from the share: the name says nothing the link does not.
      (void)shareId;
      std::string suffix = crypto::RandomId(5);
      for (char& c : suffix)
      {
        if (c >= 'a' && c <= 'z')
        {
          c = static_cast<char>(c - 'a' + 'A');
        }
        else if (!(c >= 'A' && c <= 'Z') && !(c >= '0' && c <= '9'))
        {
          c = 'X';
        }
      }
      return "ANONYMIZED^" + suffix;
    }
  }

  AnonymizationWorker::AnonymizationWorker(const AnonymizationSettings& settings, IShareStore& store,
                                           IStudyCatalog& catalog, IStudyCopier& copier, std::function<int64_t()> clock,
                                           std::function<void(const std::string&)> log)
    : settings_(settings), store_(store), catalog_(catalog), copier_(copier), clock_(std::move(clock)),
      log_(std::move(log))
  {
  }

  AnonymizationWorker::~AnonymizationWorker()
  {
    Stop();
  }

  void AnonymizationWorker::Start()
  {
    if (thread_.joinable())
    {
      return;
    }
    for (const Share& share : store_.List({}))
    {
      const AnonymizationState state = share.anonymization.state;
      if (share.anonymize && (state == AnonymizationState::Pending || state == AnonymizationState::Running))
      {
        Prepare(share.id);
      }
    }
    thread_ = std::thread([this] { Run(); });
  }

  void AnonymizationWorker::Stop()
  {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable())
    {
      thread_.join();
    }
  }

  void AnonymizationWorker::Prepare(const std::string& shareId)
  {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      queue_.emplace_back(shareId, true);
    }
    wake_.notify_all();
  }

  void AnonymizationWorker::ShareEnded(const std::string& shareId)
  {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      queue_.emplace_back(shareId, false);
    }
    wake_.notify_all();
  }

  bool AnonymizationWorker::Stopping()
  {
    std::lock_guard<std::mutex> lock(mutex_);
    return stopping_;
  }

  void AnonymizationWorker::Run()
  {
    auto nextCleanup = std::chrono::steady_clock::now() + std::chrono::seconds(settings_.cleanupIntervalSeconds);
    for (;;)
    {
      std::pair<std::string, bool> item;
      bool cleanupDue = false;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        wake_.wait_until(lock, nextCleanup, [this] { return stopping_ || !queue_.empty(); });
        if (stopping_)
        {
          return;
        }
        if (!queue_.empty())
        {
          item = queue_.front();
          queue_.pop_front();
        }
        else
        {
          cleanupDue = true;
        }
      }
      // The store or Orthanc may fail for a while: the share stays recorded
      // as it was and the next pass (or restart) picks it up again.
      try
      {
        if (cleanupDue)
        {
          nextCleanup = std::chrono::steady_clock::now() + std::chrono::seconds(settings_.cleanupIntervalSeconds);
          CleanUpEnded();
        }
        else if (item.second)
        {
          Process(item.first);
        }
        else if (const std::optional<Share> share = store_.Lookup(item.first))
        {
          CleanUp(*share);
        }
      }
      catch (const std::exception& e)
      {
        log_("anonymized share " + item.first + ": " + e.what());
      }
    }
  }

  std::string AnonymizationWorker::BuildRequest(const std::string& pseudonym) const
  {
    nlohmann::json replace = nlohmann::json::object();
    for (const auto& [tag, value] : settings_.replace)
    {
      replace[tag] = value;
    }
    replace["PatientName"] = pseudonym;
    // Orthanc 1.10 sets PatientIdentityRemoved but not always the method: say it.
    replace["DeidentificationMethod"] =
      "StudyShare: Orthanc PS3.15 Basic Profile" +
      (settings_.dicomVersion.empty() ? std::string() : " (" + settings_.dicomVersion + ")");
    nlohmann::json body = {{"Replace", replace},
                           {"Keep", settings_.keep},
                           {"Remove", settings_.remove},
                           {"KeepPrivateTags", false},
                           {"Asynchronous", true},
                           {"Permissive", false},
                           {"Force", !settings_.keep.empty() || !settings_.replace.empty()}};
    if (!settings_.dicomVersion.empty())
    {
      body["DicomVersion"] = settings_.dicomVersion;
    }
    return body.dump();
  }

  AuditEvent AnonymizationWorker::Event(const std::string& shareId, const std::string& what,
                                        const std::string& outcome) const
  {
    return {shareId, clock_(), what, outcome, kActor, "", ""};
  }

  void AnonymizationWorker::Process(const std::string& shareId)
  {
    std::optional<Share> share = store_.Lookup(shareId);
    if (!share || !share->anonymize)
    {
      return;
    }
    const AnonymizationState state = share->anonymization.state;
    if (state == AnonymizationState::Ready || state == AnonymizationState::Failed)
    {
      CleanUp(*share);
      return;
    }
    const ShareState life = share->StateAt(clock_());
    if (life == ShareState::Revoked || life == ShareState::Expired)
    {
      Fail(*share, share->anonymization, "the share ended before its copy was ready");
      return;
    }
    if (!Copy(*share))
    {
      return;
    }
    ShareAnonymization ready = share->anonymization;
    std::vector<SharedStudy> copies;
    for (const std::string& copy : ready.copies)
    {
      const std::optional<CatalogStudy> found = catalog_.FindByOrthancId(copy);
      if (!found)
      {
        Fail(*share, ready, "the copy " + copy + " disappeared before the share was ready");
        return;
      }
      copies.push_back(found->study);
    }
    ready.state = AnonymizationState::Ready;
    ready.error.clear();
    ready.jobId.clear();
    store_.UpdateAnonymization(shareId, ready, copies, Event(shareId, "anonymize", "success"));
    // Revoked while the copy was made: the copy goes at once.
    if (const std::optional<Share> now = store_.Lookup(shareId))
    {
      CleanUp(*now);
    }
  }

  bool AnonymizationWorker::Copy(Share& share)
  {
    ShareAnonymization& progress = share.anonymization;
    int restarts = 0;
    while (progress.copies.size() < progress.originals.size())
    {
      const std::string& original = progress.originals[progress.copies.size()];
      if (progress.jobId.empty())
      {
        try
        {
          progress.jobPseudonym = PseudonymFor(share.id);
          progress.jobId = copier_.StartCopy(original, BuildRequest(progress.jobPseudonym));
          jobsStartedHere_.insert(progress.jobId);
        }
        catch (const std::exception& e)
        {
          Fail(share, progress, std::string("Orthanc refused to anonymize study ") + original + ": " + e.what());
          return false;
        }
        progress.state = AnonymizationState::Running;
        store_.UpdateAnonymization(share.id, progress, std::nullopt, std::nullopt);
      }
      IStudyCopier::Job job = copier_.ReadJob(progress.jobId);
      if (job.state != IStudyCopier::Job::State::Unknown && jobsStartedHere_.count(progress.jobId) == 0)
      {
        AbandonEarlierJob(share, progress);
        return false;
      }
      while (job.state == IStudyCopier::Job::State::Running)
      {
        {
          std::unique_lock<std::mutex> lock(mutex_);
          if (wake_.wait_for(lock, std::chrono::milliseconds(settings_.pollMilliseconds), [this] { return stopping_; }))
          {
            return false;  // recorded as Running: the next start follows the same job
          }
        }
        job = copier_.ReadJob(progress.jobId);
      }
      if (job.state == IStudyCopier::Job::State::Unknown)
      {
        if (++restarts > kMaxJobRestarts)
        {
          Fail(share, progress, "Orthanc lost the anonymization job of study " + original + " repeatedly");
          return false;
        }
        log_("anonymized share " + share.id + ": Orthanc no longer knows job " + progress.jobId + "; starting again");
        progress.jobId.clear();
        continue;
      }
      if (job.state == IStudyCopier::Job::State::Failed)
      {
        Fail(share, progress, "Orthanc could not anonymize study " + original + ": " + job.error);
        return false;
      }
      progress.copies.push_back(job.copyOrthancId);
      try
      {
        copier_.MarkCopy(job.copyOrthancId, share.id);
      }
      catch (const std::exception& e)
      {
        Fail(share, progress, e.what());  // deletes the unmarked copy with the others
        return false;
      }
      progress.jobId.clear();
      store_.UpdateAnonymization(share.id, progress, std::nullopt, std::nullopt);
    }
    return true;
  }

  // A job that an earlier run of Orthanc started and Orthanc took up again after
  // its restart: a resumed anonymization may write instances twice, so the
  // copy could not be trusted. It is stopped, what it wrote is deleted, and the
  // share fails with its reason (the sharer makes it again). A job Orthanc has
  // forgotten is not one of these: it is simply started again.
  void AnonymizationWorker::AbandonEarlierJob(const Share& share, ShareAnonymization progress)
  {
    const std::string jobId = progress.jobId;
    copier_.CancelJob(jobId);
    while (copier_.ReadJob(jobId).state == IStudyCopier::Job::State::Running)
    {
      std::unique_lock<std::mutex> lock(mutex_);
      if (wake_.wait_for(lock, std::chrono::milliseconds(settings_.pollMilliseconds), [this] { return stopping_; }))
      {
        return;  // still Running: the next start abandons it again
      }
    }
    try
    {
      for (const std::string& leftover : progress.jobPseudonym.empty()
                                           ? std::vector<std::string>()
                                           : copier_.FindUnmarkedCopies(progress.jobPseudonym))
      {
        progress.copies.push_back(leftover);  // Fail deletes them with the finished copies
      }
    }
    catch (const std::exception& e)
    {
      log_("anonymized share " + share.id + ": " + e.what());
    }
    Fail(share, progress, "the preparation was interrupted by a restart of Orthanc; make the share again");
  }

  void AnonymizationWorker::Fail(const Share& share, ShareAnonymization anonymization, const std::string& error)
  {
    log_("anonymized share " + share.id + " failed: " + error);
    anonymization.state = AnonymizationState::Failed;
    anonymization.error = error;
    anonymization.jobId.clear();
    store_.UpdateAnonymization(share.id, anonymization, std::nullopt, Event(share.id, "anonymize", "failure"));
    // Half-made copies serve nobody.
    DeleteCopies(share, anonymization, "delete-copies");
  }

  void AnonymizationWorker::DeleteCopies(const Share& share, const ShareAnonymization& anonymization,
                                         const std::string& why)
  {
    if (anonymization.copies.empty() || anonymization.copiesDeleted)
    {
      return;
    }
    bool all = true;
    for (const std::string& copy : anonymization.copies)
    {
      all = copier_.DeleteCopy(copy) && all;
    }
    ShareAnonymization done = anonymization;
    done.copiesDeleted = all;
    store_.UpdateAnonymization(share.id, done, std::nullopt, Event(share.id, why, all ? "success" : "failure"));
  }

  void AnonymizationWorker::CleanUp(const Share& share)
  {
    if (!share.anonymize || settings_.keepCopiesAfterShareEnds || share.anonymization.copiesDeleted)
    {
      return;
    }
    // Exhausted shares keep their open sessions: only revocation and expiry end a copy.
    const ShareState life = share.StateAt(clock_());
    if (life != ShareState::Revoked && life != ShareState::Expired)
    {
      return;
    }
    if (share.anonymization.state == AnonymizationState::Pending ||
        share.anonymization.state == AnonymizationState::Running)
    {
      return;  // the preparation sees the end and fails, deleting what it made
    }
    DeleteCopies(share, share.anonymization, "delete-copies");
  }

  void AnonymizationWorker::CleanUpEnded()
  {
    for (const Share& share : store_.List({}))
    {
      if (share.anonymize && !share.anonymization.copiesDeleted && !share.anonymization.copies.empty())
      {
        CleanUp(share);
      }
    }
  }
}
