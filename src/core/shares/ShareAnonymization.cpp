// SPDX-License-Identifier: GPL-3.0-or-later
#include "Share.h"

#include <nlohmann/json.hpp>

namespace studyshare
{
  namespace
  {
    using Json = nlohmann::json;

    constexpr std::pair<AnonymizationState, const char*> kStateNames[] = {{AnonymizationState::Pending, "Pending"},
                                                                          {AnonymizationState::Running, "Running"},
                                                                          {AnonymizationState::Ready, "Ready"},
                                                                          {AnonymizationState::Failed, "Failed"}};

    std::vector<std::string> ReadStrings(const Json& json, const char* key)
    {
      std::vector<std::string> values;
      if (json.contains(key) && json[key].is_array())
      {
        for (const Json& item : json[key])
        {
          if (item.is_string())
          {
            values.push_back(item.get<std::string>());
          }
        }
      }
      return values;
    }
  }

  const char* ToString(AnonymizationState state)
  {
    for (const auto& [value, name] : kStateNames)
    {
      if (value == state)
      {
        return name;
      }
    }
    return "Failed";
  }

  std::string ShareAnonymization::ToJson() const
  {
    return Json{{"State", ToString(state)},
                {"Error", error},
                {"Originals", originals},
                {"Copies", copies},
                {"JobId", jobId},
                {"JobPseudonym", jobPseudonym},
                {"Intermediate", intermediate},
                {"CopiesDeleted", copiesDeleted}}
      .dump();
  }

  ShareAnonymization ShareAnonymization::FromJson(const std::string& text)
  {
    ShareAnonymization anonymization;
    const Json json = Json::parse(text, nullptr, false);
    anonymization.state = AnonymizationState::Failed;
    if (!json.is_object())
    {
      anonymization.error = "the anonymization record is unreadable";
      return anonymization;
    }
    const std::string state = json.value("State", "");
    for (const auto& [value, name] : kStateNames)
    {
      if (state == name)
      {
        anonymization.state = value;
      }
    }
    anonymization.error = json.value("Error", "");
    anonymization.originals = ReadStrings(json, "Originals");
    anonymization.copies = ReadStrings(json, "Copies");
    anonymization.jobId = json.value("JobId", "");
    anonymization.jobPseudonym = json.value("JobPseudonym", "");
    anonymization.intermediate = json.value("Intermediate", "");
    anonymization.copiesDeleted = json.value("CopiesDeleted", false);
    return anonymization;
  }
}
