// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "IAnonymizationQueue.h"
#include "IShareStore.h"
#include "IStudyCatalog.h"
#include "IStudyCopier.h"
#include "SharingSettings.h"

#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <thread>

namespace studyshare
{
  // Makes the de-identified copies of anonymized shares, one share at a
  // time, on its own thread: starts the server's anonymization job, then a
  // modification of its output (so the final copy records no link to the
  // original), follows both, records progress in the store (so a restart
  // resumes or fails it), and names the copies as the share's studies once
  // all are made. Deletes the copies of revoked and expired shares (unless
  // the site keeps them).
  class AnonymizationWorker : public IAnonymizationQueue
  {
  public:
    AnonymizationWorker(const AnonymizationSettings& settings, IShareStore& store, IStudyCatalog& catalog,
                        IStudyCopier& copier, std::function<int64_t()> clock,
                        std::function<void(const std::string&)> log);
    ~AnonymizationWorker() override;

    // Queues the shares a previous run left Pending or Running, and starts the thread.
    void Start();
    // Stops the thread; a job in flight stays recorded and resumes at the next Start.
    void Stop();

    void Prepare(const std::string& shareId) override;
    void ShareEnded(const std::string& shareId) override;

    // One share, on the caller's thread (the thread's loop, and unit tests).
    void Process(const std::string& shareId);
    // Removes the copies of every anonymized share that has ended.
    void CleanUpEnded();

  private:
    void Run();
    bool Stopping();
    bool Copy(Share& share);  // false: failed or stopping (recorded)
    bool StartJob(Share& share);
    bool Finish(Share& share, const std::string& made);
    void DiscardLeftovers(const Share& share, ShareAnonymization& progress);
    void AbandonEarlierJob(const Share& share, ShareAnonymization progress);
    void RetryLater(const std::pair<std::string, bool>& item, const std::exception& error);
    void Fail(const Share& share, ShareAnonymization anonymization, const std::string& error);
    void DeleteCopies(const Share& share, ShareAnonymization& anonymization, const std::string& why);
    void CleanUp(const Share& share);
    AuditEvent Event(const std::string& shareId, const std::string& what, const std::string& outcome) const;

    const AnonymizationSettings& settings_;
    IShareStore& store_;
    IStudyCatalog& catalog_;
    IStudyCopier& copier_;
    std::function<int64_t()> clock_;
    std::function<void(const std::string&)> log_;

    std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<std::pair<std::string, bool>> queue_;  // share id, true: prepare / false: clean up
    bool stopping_ = false;
    std::set<std::string> jobsStartedHere_;  // worker thread only
    std::map<std::string, int> retries_;     // worker thread only: share id → passes ended by an error
    std::thread thread_;
  };
}
