// SPDX-License-Identifier: GPL-3.0-or-later
#include "OrthancStudyLabels.h"

#include "OrthancLabel.h"

#include <nlohmann/json.hpp>

#include <cstdlib>

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

  LabelSupport OrthancStudyLabels::Support()
  {
    const OrthancApi::RestAnswer reply = orthanc_.Get("/system");
    const nlohmann::json system =
      reply.IsSuccess() ? nlohmann::json::parse(reply.body, nullptr, false) : nlohmann::json();
    if (!system.is_object() || !system.contains("Version") || !system["Version"].is_string())
    {
      return LabelSupport::Unknown;
    }
    // "1.12.3"; a build from the development line says "mainline" and has labels.
    const std::string version = system["Version"].get<std::string>();
    if (version.empty() || version[0] < '0' || version[0] > '9')
    {
      return LabelSupport::Supported;
    }
    char* rest = nullptr;
    const long major = std::strtol(version.c_str(), &rest, 10);
    const long minor = *rest == '.' ? std::strtol(rest + 1, nullptr, 10) : 0;
    return major > 1 || (major == 1 && minor >= 12) ? LabelSupport::Supported : LabelSupport::Unsupported;
  }

  LabelledStudies OrthancStudyLabels::StudiesWith(const std::string& label, size_t limit)
  {
    LabelledStudies answer;
    if (!IsValidOrthancLabel(label))
    {
      answer.status = ResolutionStatus::NotFound;
      return answer;
    }
    // One more than asked tells whether the list was cut.
    const nlohmann::json query = {{"Level", "Study"},
                                  {"Query", nlohmann::json::object()},
                                  {"Labels", {label}},
                                  {"LabelsConstraint", "All"},
                                  {"Limit", limit + 1}};
    const OrthancApi::RestAnswer reply = orthanc_.Post("/tools/find", query.dump());
    const nlohmann::json found =
      reply.IsSuccess() ? nlohmann::json::parse(reply.body, nullptr, false) : nlohmann::json();
    if (!found.is_array())
    {
      return answer;
    }
    answer.status = ResolutionStatus::Found;
    for (const nlohmann::json& id : found)
    {
      if (!id.is_string())
      {
        continue;
      }
      if (answer.studies.size() == limit)
      {
        answer.truncated = true;
        break;
      }
      answer.studies.push_back(id.get<std::string>());
    }
    return answer;
  }
}
