// SPDX-License-Identifier: GPL-3.0-or-later
#include "OrthancStudyCopier.h"

#include <orthanc/OrthancCPlugin.h>

#include <nlohmann/json.hpp>

#include <stdexcept>

namespace studyshare::plugin
{
  namespace
  {
    std::string ErrorName(OrthancPluginErrorCode code)
    {
      return "Orthanc error " + std::to_string(static_cast<int>(code));
    }
  }

  std::string OrthancStudyCopier::StartCopy(const std::string& studyOrthancId, const std::string& requestBody)
  {
    return StartJob("/studies/" + studyOrthancId + "/anonymize", requestBody);
  }

  std::string OrthancStudyCopier::StartModification(const std::string& studyOrthancId, const std::string& requestBody)
  {
    return StartJob("/studies/" + studyOrthancId + "/modify", requestBody);
  }

  std::string OrthancStudyCopier::StartJob(const std::string& path, const std::string& requestBody)
  {
    const OrthancApi::RestAnswer answer = orthanc_.Post(path, requestBody);
    if (!answer.IsSuccess())
    {
      throw std::runtime_error(ErrorName(answer.code));
    }
    const nlohmann::json job = nlohmann::json::parse(answer.body, nullptr, false);
    if (!job.is_object() || !job.contains("ID") || !job["ID"].is_string())
    {
      throw std::runtime_error("Orthanc answered " + path + " without a job");
    }
    return job["ID"].get<std::string>();
  }

  IStudyCopier::Job OrthancStudyCopier::ReadJob(const std::string& jobId)
  {
    Job job;
    const OrthancApi::RestAnswer answer = orthanc_.Get("/jobs/" + jobId);
    if (answer.IsNotFound())
    {
      return job;  // Unknown
    }
    const nlohmann::json status = answer.IsSuccess() ? nlohmann::json::parse(answer.body, nullptr, false) : nullptr;
    if (!status.is_object())
    {
      throw std::runtime_error("reading job " + jobId + " failed: " + ErrorName(answer.code));
    }
    const std::string state = status.value("State", "");
    if (state == "Success")
    {
      const nlohmann::json content = status.value("Content", nlohmann::json::object());
      if (!content.is_object() || !content.contains("ID") || !content["ID"].is_string())
      {
        job.state = Job::State::Failed;
        job.error = "the job succeeded without naming the copy";
        return job;
      }
      job.state = Job::State::Succeeded;
      job.copyOrthancId = content["ID"].get<std::string>();
    }
    else if (state == "Failure")
    {
      job.state = Job::State::Failed;
      const nlohmann::json description = status.value("ErrorDescription", nlohmann::json());
      job.error = description.is_string() ? description.get<std::string>() : "the job failed";
    }
    else
    {
      job.state = Job::State::Running;  // Pending, Running, Retry, Paused
    }
    return job;
  }

  void OrthancStudyCopier::MarkCopy(const std::string& copyOrthancId, const std::string& shareId)
  {
    const OrthancApi::RestAnswer answer =
      orthanc_.Put("/studies/" + copyOrthancId + "/metadata/" + copyMetadata_, shareId);
    if (!answer.IsSuccess())
    {
      throw std::runtime_error("marking copy " + copyOrthancId + " (metadata " + copyMetadata_ +
                               ") failed: " + ErrorName(answer.code));
    }
  }

  void OrthancStudyCopier::CancelJob(const std::string& jobId)
  {
    orthanc_.Post("/jobs/" + jobId + "/cancel", "");  // refused for a job that has ended: nothing to stop
  }

  std::vector<std::string> OrthancStudyCopier::FindLeftovers(const std::string& pseudonym, const std::string& shareId)
  {
    const nlohmann::json query = {{"Level", "Study"}, {"Query", {{"PatientName", pseudonym}}}};
    const OrthancApi::RestAnswer answer = orthanc_.Post("/tools/find", query.dump());
    const nlohmann::json studies = answer.IsSuccess() ? nlohmann::json::parse(answer.body, nullptr, false) : nullptr;
    if (!studies.is_array())
    {
      throw std::runtime_error("looking for what an interrupted anonymization wrote failed: " + ErrorName(answer.code));
    }
    std::vector<std::string> leftovers;
    for (const nlohmann::json& study : studies)
    {
      if (!study.is_string())
      {
        continue;
      }
      const OrthancApi::RestAnswer mark =
        orthanc_.Get("/studies/" + study.get<std::string>() + "/metadata/" + copyMetadata_);
      if (mark.IsNotFound() || (mark.IsSuccess() && mark.body == shareId))
      {
        leftovers.push_back(study.get<std::string>());
      }
    }
    return leftovers;
  }

  bool OrthancStudyCopier::DeleteCopy(const std::string& copyOrthancId)
  {
    const OrthancPluginErrorCode code = orthanc_.Delete("/studies/" + copyOrthancId);
    return code == OrthancPluginErrorCode_Success || code == OrthancPluginErrorCode_UnknownResource ||
           code == OrthancPluginErrorCode_InexistentItem;
  }
}
