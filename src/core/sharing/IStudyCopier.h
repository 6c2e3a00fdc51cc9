// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace studyshare
{
  // The DICOM server's side of anonymized shares (the plugin answers through
  // Orthanc's own REST API: POST /studies/{id}/anonymize and /modify,
  // /jobs/{id}, DELETE).
  class IStudyCopier
  {
  public:
    virtual ~IStudyCopier() = default;
    IStudyCopier() = default;
    IStudyCopier(const IStudyCopier&) = delete;
    IStudyCopier& operator=(const IStudyCopier&) = delete;

    // Starts an asynchronous anonymization of the study with this request
    // body; returns the job's identifier. Throws std::runtime_error.
    virtual std::string StartCopy(const std::string& studyOrthancId, const std::string& requestBody) = 0;
    // Starts an asynchronous modification of the study (a copy with new
    // identifiers whose only recorded source is that study); returns the job.
    virtual std::string StartModification(const std::string& studyOrthancId, const std::string& requestBody) = 0;

    struct Job
    {
      enum class State
      {
        Running,
        Succeeded,
        Failed,
        Unknown  // the server does not know the job (lost in a restart)
      };
      State state = State::Unknown;
      std::string copyOrthancId;  // when Succeeded
      std::string error;          // when Failed
    };
    virtual Job ReadJob(const std::string& jobId) = 0;
    // Asks the server to stop a job; a job that has ended stays as it ended.
    virtual void CancelJob(const std::string& jobId) = 0;

    // Marks the copy as this share's (Orthanc metadata); throws on failure.
    virtual void MarkCopy(const std::string& copyOrthancId, const std::string& shareId) = 0;
    // The studies whose patient is named `pseudonym` and that carry no copy
    // mark or this share's: what an interrupted job wrote before it could
    // say where (another share's copy is never one of them).
    virtual std::vector<std::string> FindLeftovers(const std::string& pseudonym, const std::string& shareId) = 0;
    // Deletes the copy; true when it is gone (already absent counts).
    virtual bool DeleteCopy(const std::string& copyOrthancId) = 0;
  };
}
