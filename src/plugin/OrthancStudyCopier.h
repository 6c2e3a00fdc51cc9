// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "IStudyCopier.h"
#include "OrthancApi.h"

namespace studyshare::plugin
{
  // Anonymized copies through Orthanc's own REST API: the asynchronous
  // /studies/{id}/anonymize and /modify jobs, /jobs/{id}, user metadata, DELETE.
  class OrthancStudyCopier : public IStudyCopier
  {
  public:
    OrthancStudyCopier(const OrthancApi& orthanc, std::string copyMetadata)
      : orthanc_(orthanc), copyMetadata_(std::move(copyMetadata))
    {
    }

    std::string StartCopy(const std::string& studyOrthancId, const std::string& requestBody) override;
    std::string StartModification(const std::string& studyOrthancId, const std::string& requestBody) override;
    Job ReadJob(const std::string& jobId) override;
    void CancelJob(const std::string& jobId) override;
    std::vector<std::string> FindLeftovers(const std::string& pseudonym, const std::string& shareId) override;
    void MarkCopy(const std::string& copyOrthancId, const std::string& shareId) override;
    bool DeleteCopy(const std::string& copyOrthancId) override;

  private:
    std::string StartJob(const std::string& path, const std::string& requestBody);

    const OrthancApi& orthanc_;
    const std::string copyMetadata_;
  };
}
