// SPDX-License-Identifier: GPL-3.0-or-later
#include "AnonymizationWorker.h"

#include <chrono>

namespace studyshare
{
  namespace
  {
    constexpr const char* kActor = "studyshare";
    constexpr int kMaxRetries = 5;  // passes ended by an error before the share is marked Failed
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
        retries_.erase(item.first);
      }
      catch (const std::exception& e)
      {
        RetryLater(item, e);
      }
    }
  }

  // The store or Orthanc failed for a moment (a restart under way, a busy
  // database): the share stays as recorded and is taken up again shortly, a
  // few times, then marked Failed, never left waiting for the next restart.
  void AnonymizationWorker::RetryLater(const std::pair<std::string, bool>& item, const std::exception& error)
  {
    log_("anonymized share " + item.first + ": " + error.what());
    if (item.first.empty())
    {
      return;  // the periodic clean-up: it comes again by itself
    }
    const int tries = ++retries_[item.first];
    if (tries > kMaxRetries)
    {
      retries_.erase(item.first);
      try
      {
        const std::optional<Share> share = store_.Lookup(item.first);
        const bool unfinished = share && share->anonymize &&
                                (share->anonymization.state == AnonymizationState::Pending ||
                                 share->anonymization.state == AnonymizationState::Running);
        if (item.second && unfinished)
        {
          Fail(*share, share->anonymization, std::string("the preparation kept failing: ") + error.what());
        }
      }
      catch (const std::exception& e)
      {
        log_("anonymized share " + item.first + ": " + e.what());
      }
      return;
    }
    std::unique_lock<std::mutex> lock(mutex_);
    if (!wake_.wait_for(lock, std::chrono::seconds(tries), [this] { return stopping_; }))
    {
      queue_.push_back(item);
    }
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

  void AnonymizationWorker::DeleteCopies(const Share& share, ShareAnonymization& anonymization, const std::string& why)
  {
    if (anonymization.copies.empty())
    {
      return;
    }
    bool all = true;
    for (const std::string& copy : anonymization.copies)
    {
      all = copier_.DeleteCopy(copy) && all;
    }
    anonymization.copiesDeleted = all;
    store_.UpdateAnonymization(share.id, anonymization, std::nullopt,
                               Event(share.id, why, all ? "success" : "failure"));
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
    ShareAnonymization ended = share.anonymization;
    DeleteCopies(share, ended, "delete-copies");
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
