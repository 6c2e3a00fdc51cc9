// SPDX-License-Identifier: GPL-3.0-or-later
#include "OrthancResolver.h"

#include <nlohmann/json.hpp>

namespace studyshare::plugin
{
  std::optional<std::string> OrthancResolver::ParentOf(const std::string& uri, const char* field,
                                                       ResolutionStatus& status)
  {
    const OrthancApi::RestAnswer answer = orthanc_.Get(uri);
    if (!answer.IsSuccess())
    {
      status = answer.IsNotFound() ? ResolutionStatus::NotFound : ResolutionStatus::Unavailable;
      return std::nullopt;
    }
    const nlohmann::json json = nlohmann::json::parse(answer.body, nullptr, false);
    if (!json.is_object() || !json.contains(field) || !json[field].is_string())
    {
      status = ResolutionStatus::Unavailable;
      return std::nullopt;
    }
    status = ResolutionStatus::Found;
    return json[field].get<std::string>();
  }

  std::optional<std::string> OrthancResolver::StudyOf(ResourceLevel level, const std::string& orthancId,
                                                      ResolutionStatus& status)
  {
    switch (level)
    {
      case ResourceLevel::Study:
        return ParentOf("/studies/" + orthancId, "ID", status);
      case ResourceLevel::Series:
        return ParentOf("/series/" + orthancId, "ParentStudy", status);
      case ResourceLevel::Instance:
      {
        auto series = ParentOf("/instances/" + orthancId, "ParentSeries", status);
        return series ? ParentOf("/series/" + *series, "ParentStudy", status) : std::nullopt;
      }
      case ResourceLevel::Patient:
        break;
    }
    status = ResolutionStatus::NotFound;
    return std::nullopt;
  }

  Resolution OrthancResolver::ResolveStudies(const ResourceView& resource)
  {
    Resolution resolution;
    if (resource.kind == IdKind::OrthancId)
    {
      auto study = StudyOf(resource.level, std::string(resource.value), resolution.status);
      if (study)
      {
        resolution.studies.push_back(*study);
      }
      return resolution;
    }

    const std::string uid(resource.value);
    // The common case, one resource with this UID, costs one index query;
    // /tools/lookup (several queries, a REST call and JSON both ways) is
    // left for UIDs that none or several resources carry.
    if (const auto unique = orthanc_.LookupUnique(resource.level, uid))
    {
      Resolution found = byOrthancId_->ResolveStudies({resource.level, IdKind::OrthancId, *unique});
      if (found.status != ResolutionStatus::NotFound)
      {
        return found;  // NotFound: deleted since, so the full lookup decides
      }
    }

    const OrthancApi::RestAnswer answer = orthanc_.Post("/tools/lookup", uid);
    if (!answer.IsSuccess())
    {
      resolution.status = ResolutionStatus::Unavailable;
      return resolution;
    }
    const nlohmann::json matches = nlohmann::json::parse(answer.body, nullptr, false);
    if (!matches.is_array())
    {
      resolution.status = ResolutionStatus::Unavailable;
      return resolution;
    }
    for (const nlohmann::json& match : matches)
    {
      if (!match.is_object() || match.value("Type", "") != ToString(resource.level) || !match.contains("ID") ||
          !match["ID"].is_string())
      {
        continue;
      }
      const Resolution found =
        byOrthancId_->ResolveStudies({resource.level, IdKind::OrthancId, match["ID"].get<std::string>()});
      if (found.status != ResolutionStatus::Found)
      {
        // A resource deleted between the two calls is gone; anything else is a failure.
        if (found.status == ResolutionStatus::NotFound)
        {
          continue;
        }
        resolution.status = ResolutionStatus::Unavailable;
        resolution.studies.clear();
        return resolution;
      }
      resolution.studies.insert(resolution.studies.end(), found.studies.begin(), found.studies.end());
    }
    resolution.status = resolution.studies.empty() ? ResolutionStatus::NotFound : ResolutionStatus::Found;
    return resolution;
  }
}
