// SPDX-License-Identifier: GPL-3.0-or-later
// What an anonymized share needs to know of a study before and after it is
// copied: text its pixels may carry, and whether it is StudyShare's copy.
#include "OrthancStudyCatalog.h"

#include <nlohmann/json.hpp>

namespace studyshare::plugin
{
  namespace
  {
    constexpr const char* kSecondaryCapturePrefix = "1.2.840.10008.5.1.4.1.1.7";  // SC and its multi-frame kinds

    std::string MainTag(const nlohmann::json& resource, const char* name)
    {
      if (!resource.contains("MainDicomTags") || !resource["MainDicomTags"].is_object())
      {
        return "";
      }
      const nlohmann::json& tags = resource["MainDicomTags"];
      return tags.contains(name) && tags[name].is_string() ? tags[name].get<std::string>() : "";
    }

    std::string Trimmed(std::string value)
    {
      while (!value.empty() && (value.back() == ' ' || value.back() == '\0' || value.back() == '\n'))
      {
        value.pop_back();
      }
      return value;
    }
  }

  std::vector<SeriesPixelText> OrthancStudyCatalog::InspectPixelText(const std::string& studyOrthancId)
  {
    const OrthancApi::RestAnswer answer = orthanc_.Get("/studies/" + studyOrthancId + "/series");
    const nlohmann::json list =
      answer.IsSuccess() ? nlohmann::json::parse(answer.body, nullptr, false) : nlohmann::json();
    if (!list.is_array())
    {
      throw CatalogUnavailable("listing the series of study " + studyOrthancId + " failed");
    }
    std::vector<SeriesPixelText> result;
    for (const nlohmann::json& series : list)
    {
      if (!series.is_object() || !series.contains("ID") || !series["ID"].is_string())
      {
        continue;
      }
      SeriesPixelText item;
      item.orthancId = series["ID"].get<std::string>();
      item.modality = MainTag(series, "Modality");
      item.description = MainTag(series, "SeriesDescription");
      const nlohmann::json instances =
        series.contains("Instances") && series["Instances"].is_array() ? series["Instances"] : nlohmann::json::array();
      // Every instance: one image that says YES among many that do not is enough.
      for (const nlohmann::json& instance : instances)
      {
        if (!instance.is_string())
        {
          continue;
        }
        const std::string id = instance.get<std::string>();
        const OrthancApi::RestAnswer burned = orthanc_.Get("/instances/" + id + "/content/0028-0301");
        if (burned.IsSuccess() && Trimmed(burned.body) == "YES")
        {
          item.burnedInAnnotation = true;
        }
        const OrthancApi::RestAnswer sopClass = orthanc_.Get("/instances/" + id + "/metadata/SopClassUid");
        if (sopClass.IsSuccess() && Trimmed(sopClass.body).rfind(kSecondaryCapturePrefix, 0) == 0)
        {
          item.secondaryCapture = true;
        }
      }
      result.push_back(item);
    }
    return result;
  }

  std::optional<std::string> OrthancStudyCatalog::CopyOwner(const std::string& studyOrthancId)
  {
    const OrthancApi::RestAnswer answer = orthanc_.Get("/studies/" + studyOrthancId + "/metadata/" + copyMetadata_);
    if (!answer.IsSuccess() || answer.body.empty())
    {
      return std::nullopt;
    }
    return answer.body;
  }
}
