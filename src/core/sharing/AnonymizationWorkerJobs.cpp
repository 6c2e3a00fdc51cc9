// SPDX-License-Identifier: GPL-3.0-or-later
// The AnonymizationWorker's side of Orthanc's jobs: the two passes that make
// each copy, and what is deleted when a job is lost, interrupted or failed.
#include "AnonymizationRequests.h"
#include "AnonymizationWorker.h"

#include <algorithm>
#include <chrono>

namespace studyshare
{
  namespace
  {
    constexpr int kMaxJobRestarts = 3;  // a job lost this many times marks the share Failed
  }

  bool AnonymizationWorker::Copy(Share& share)
  {
    ShareAnonymization& progress = share.anonymization;
    int restarts = 0;
    while (progress.copies.size() < progress.originals.size())
    {
      const std::string original = progress.originals[progress.copies.size()];
      if (progress.jobId.empty() && !StartJob(share))
      {
        return false;
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
            return false;  // recorded as Running: the next start abandons the job
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
        DiscardLeftovers(share, progress);
        continue;
      }
      if (job.state == IStudyCopier::Job::State::Failed)
      {
        Fail(share, progress,
             std::string("Orthanc could not ") +
               (progress.intermediate.empty() ? "anonymize" : "rewrite the anonymized copy of") + " study " + original +
               ": " + job.error);
        return false;
      }
      if (!Finish(share, job.copyOrthancId))
      {
        return false;
      }
    }
    return true;
  }

  // The first pass anonymizes the original; the second modifies that first
  // copy, so the final copy records the first one as its source instead of
  // the original (see AnonymizationRequests.h). Both write under one pseudonym.
  bool AnonymizationWorker::StartJob(Share& share)
  {
    ShareAnonymization& progress = share.anonymization;
    const std::string& original = progress.originals[progress.copies.size()];
    const bool firstPass = progress.intermediate.empty();
    try
    {
      if (firstPass)
      {
        progress.jobPseudonym = NewPseudonym();
        progress.jobId = copier_.StartCopy(original, AnonymizeRequest(settings_, progress.jobPseudonym));
      }
      else
      {
        progress.jobId = copier_.StartModification(progress.intermediate, UnlinkRequest(settings_));
      }
      jobsStartedHere_.insert(progress.jobId);
    }
    catch (const std::exception& e)
    {
      Fail(share, progress,
           std::string("Orthanc refused to ") +
             (firstPass ? "anonymize study " : "rewrite the anonymized copy of study ") + original + ": " + e.what());
      return false;
    }
    progress.state = AnonymizationState::Running;
    store_.UpdateAnonymization(share.id, progress, std::nullopt, std::nullopt);
    return true;
  }

  // A job of this run succeeded with `made`: after the first pass, the copy
  // that the second rewrites; after the second, the final copy.
  bool AnonymizationWorker::Finish(Share& share, const std::string& made)
  {
    ShareAnonymization& progress = share.anonymization;
    progress.jobId.clear();
    if (progress.intermediate.empty())
    {
      progress.intermediate = made;
      store_.UpdateAnonymization(share.id, progress, std::nullopt, std::nullopt);
      return true;
    }
    // Marked before it is recorded: a restart in between finds it by this mark.
    try
    {
      copier_.MarkCopy(made, share.id);
    }
    catch (const std::exception& e)
    {
      progress.copies.push_back(made);
      Fail(share, progress, e.what());
      return false;
    }
    // Orthanc deletes the first copy itself (KeepSource false); this removes
    // what it may have left. A site that keeps the StudyInstanceUID gets the
    // same study back, which is then the final copy.
    if (made != progress.intermediate && !copier_.DeleteCopy(progress.intermediate))
    {
      progress.copies.push_back(made);
      Fail(share, progress, "the first anonymized copy " + progress.intermediate + " could not be deleted");
      return false;
    }
    progress.intermediate.clear();
    progress.copies.push_back(made);
    store_.UpdateAnonymization(share.id, progress, std::nullopt, std::nullopt);
    return true;
  }

  // A job Orthanc no longer knows runs no more: what it wrote, and the first
  // copy a second pass was rewriting, go before the study is copied again.
  void AnonymizationWorker::DiscardLeftovers(const Share& share, ShareAnonymization& progress)
  {
    std::vector<std::string> doomed;
    if (!progress.intermediate.empty())
    {
      doomed.push_back(progress.intermediate);
    }
    if (!progress.jobPseudonym.empty())
    {
      for (const std::string& leftover : copier_.FindLeftovers(progress.jobPseudonym, share.id))
      {
        doomed.push_back(leftover);
      }
    }
    for (const std::string& study : doomed)
    {
      if (std::find(progress.copies.begin(), progress.copies.end(), study) == progress.copies.end())
      {
        copier_.DeleteCopy(study);
      }
    }
    progress.intermediate.clear();
    progress.jobId.clear();
  }

  // A job that an earlier run of Orthanc started and Orthanc took up again after
  // its restart: a resumed anonymization may write instances twice, so the
  // copy could not be trusted. It is stopped, what it wrote (and the first copy
  // of a second pass) is deleted, and the share fails with its reason (the
  // sharer makes it again). A job Orthanc has forgotten is not one of these:
  // it is simply started again.
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
                                           : copier_.FindLeftovers(progress.jobPseudonym, share.id))
      {
        if (std::find(progress.copies.begin(), progress.copies.end(), leftover) == progress.copies.end())
        {
          progress.copies.push_back(leftover);  // Fail deletes them with the finished copies
        }
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
    // Half-made copies serve nobody. They go first, so that whoever reads
    // Failed finds them gone.
    if (!anonymization.intermediate.empty())
    {
      if (std::find(anonymization.copies.begin(), anonymization.copies.end(), anonymization.intermediate) ==
          anonymization.copies.end())
      {
        anonymization.copies.push_back(anonymization.intermediate);
      }
      anonymization.intermediate.clear();
    }
    DeleteCopies(share, anonymization, "delete-copies");
    anonymization.state = AnonymizationState::Failed;
    anonymization.error = error;
    anonymization.jobId.clear();
    store_.UpdateAnonymization(share.id, anonymization, std::nullopt, Event(share.id, "anonymize", "failure"));
  }
}
