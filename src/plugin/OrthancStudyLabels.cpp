// SPDX-License-Identifier: GPL-3.0-or-later
#include "OrthancStudyLabels.h"

#include <nlohmann/json.hpp>

namespace studyshare::plugin
{
  StudyLabels OrthancStudyLabels::LabelsOf(const std::string& studyOrthancId)
  {
    StudyLabels answer;
    // An Orthanc ID is hexadecimal groups and dashes; anything else would change the route asked.
    if (studyOrthancId.empty() || studyOrthancId.find_first_not_of("0123456789abcdef-") != std::string::npos)
    {
      answer.status = ResolutionStatus::NotFound;
      return answer;
    }
    const OrthancApi::RestAnswer reply = orthanc_.Get("/studies/" + studyOrthancId);
    if (!reply.IsSuccess())
    {
      answer.status = reply.IsNotFound() ? ResolutionStatus::NotFound : ResolutionStatus::Unavailable;
      return answer;
    }
    const nlohmann::json json = nlohmann::json::parse(reply.body, nullptr, false);
    if (!json.is_object() || json.value("Type", "") != "Study")
    {
      answer.status = ResolutionStatus::Unavailable;
      return answer;
    }
    answer.status = ResolutionStatus::Found;
    const auto labels = json.find("Labels");
    if (labels == json.end())
    {
      return answer;  // Orthanc 1.10: no labels at all
    }
    if (!labels->is_array())
    {
      answer.status = ResolutionStatus::Unavailable;
      return answer;
    }
    for (const nlohmann::json& label : *labels)
    {
      if (label.is_string())
      {
        answer.labels.push_back(label.get<std::string>());
      }
    }
    return answer;
  }
}
