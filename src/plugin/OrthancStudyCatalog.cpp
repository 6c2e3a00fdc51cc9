// SPDX-License-Identifier: GPL-3.0-or-later
#include "OrthancStudyCatalog.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>

namespace studyshare::plugin
{
  namespace
  {
    std::string Tag(const nlohmann::json& study, const char* group, const char* name)
    {
      if (!study.contains(group) || !study[group].is_object())
      {
        return "";
      }
      const nlohmann::json& tags = study[group];
      return tags.contains(name) && tags[name].is_string() ? tags[name].get<std::string>() : "";
    }
  }

  std::optional<CatalogStudy> OrthancStudyCatalog::FindByOrthancId(const std::string& orthancId)
  {
    const OrthancApi::RestAnswer answer = orthanc_.Get("/studies/" + orthancId);
    if (answer.IsNotFound())
    {
      return std::nullopt;
    }
    if (!answer.IsSuccess())
    {
      throw CatalogUnavailable("reading study " + orthancId + " failed");
    }
    const nlohmann::json study = nlohmann::json::parse(answer.body, nullptr, false);
    if (!study.is_object())
    {
      throw CatalogUnavailable("Orthanc answered study " + orthancId + " with something other than JSON");
    }
    CatalogStudy found;
    found.study.orthancId = orthancId;
    found.study.dicomUid = Tag(study, "MainDicomTags", "StudyInstanceUID");
    found.study.studyDate = Tag(study, "MainDicomTags", "StudyDate");
    found.study.studyDescription = Tag(study, "MainDicomTags", "StudyDescription");
    found.study.accessionNumber = Tag(study, "MainDicomTags", "AccessionNumber");
    found.study.patientName = Tag(study, "PatientMainDicomTags", "PatientName");
    found.study.patientId = Tag(study, "PatientMainDicomTags", "PatientID");
    found.patientBirthDate = Tag(study, "PatientMainDicomTags", "PatientBirthDate");
    return found;
  }

  std::vector<CatalogStudy> OrthancStudyCatalog::FindByStudyUid(const std::string& studyInstanceUid)
  {
    const OrthancApi::RestAnswer answer = orthanc_.Post("/tools/lookup", studyInstanceUid);
    if (!answer.IsSuccess())
    {
      throw CatalogUnavailable("looking up StudyInstanceUID " + studyInstanceUid + " failed");
    }
    const nlohmann::json matches = nlohmann::json::parse(answer.body, nullptr, false);
    std::vector<CatalogStudy> studies;
    if (!matches.is_array())
    {
      throw CatalogUnavailable("Orthanc answered /tools/lookup with something other than a list");
    }
    for (const nlohmann::json& match : matches)
    {
      if (match.is_object() && match.value("Type", "") == "Study" && match.contains("ID") && match["ID"].is_string())
      {
        auto study = FindByOrthancId(match["ID"].get<std::string>());
        if (study)
        {
          studies.push_back(*study);
        }
      }
    }
    return studies;
  }

  std::vector<CatalogSeries> OrthancStudyCatalog::ListSeries(const std::string& studyOrthancId)
  {
    const OrthancApi::RestAnswer answer = orthanc_.Get("/studies/" + studyOrthancId + "/series");
    if (!answer.IsSuccess())
    {
      throw CatalogUnavailable("listing the series of study " + studyOrthancId + " failed");
    }
    const nlohmann::json list = nlohmann::json::parse(answer.body, nullptr, false);
    if (!list.is_array())
    {
      throw CatalogUnavailable("Orthanc answered the series list with something other than a list");
    }
    std::vector<CatalogSeries> result;
    for (const nlohmann::json& series : list)
    {
      if (!series.is_object() || !series.contains("ID") || !series["ID"].is_string())
      {
        continue;
      }
      CatalogSeries item;
      item.orthancId = series["ID"].get<std::string>();
      item.dicomUid = Tag(series, "MainDicomTags", "SeriesInstanceUID");
      item.modality = Tag(series, "MainDicomTags", "Modality");
      item.description = Tag(series, "MainDicomTags", "SeriesDescription");
      item.number = Tag(series, "MainDicomTags", "SeriesNumber");
      // ordered-slices sorts by position/instance number; fall back to the raw list.
      const OrthancApi::RestAnswer slices = orthanc_.Get("/series/" + item.orthancId + "/ordered-slices");
      const nlohmann::json ordered =
        slices.IsSuccess() ? nlohmann::json::parse(slices.body, nullptr, false) : nlohmann::json();
      if (ordered.is_object() && ordered.contains("SlicesShort") && ordered["SlicesShort"].is_array())
      {
        for (const nlohmann::json& slice : ordered["SlicesShort"])
        {
          if (slice.is_array() && !slice.empty() && slice[0].is_string())
          {
            item.instances.push_back(slice[0].get<std::string>());
          }
        }
      }
      else if (series.contains("Instances") && series["Instances"].is_array())
      {
        for (const nlohmann::json& instance : series["Instances"])
        {
          if (instance.is_string())
          {
            item.instances.push_back(instance.get<std::string>());
          }
        }
      }
      result.push_back(item);
    }
    std::sort(result.begin(), result.end(),
              [](const CatalogSeries& a, const CatalogSeries& b)
              { return std::atoi(a.number.c_str()) < std::atoi(b.number.c_str()); });
    return result;
  }
}
