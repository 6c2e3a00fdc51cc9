// SPDX-License-Identifier: GPL-3.0-or-later
#include "StudyResolution.h"

namespace studyshare
{
  namespace
  {
    CatalogStudy FindStudy(IStudyCatalog& catalog, const RequestedStudy& requested)
    {
      if (requested.orthancId)
      {
        std::optional<CatalogStudy> found = catalog.FindByOrthancId(*requested.orthancId);
        if (!found)
        {
          throw BadRequest("no study with Orthanc ID " + *requested.orthancId);
        }
        if (requested.dicomUid && found->study.dicomUid != *requested.dicomUid)
        {
          throw BadRequest("study " + *requested.orthancId + " does not have StudyInstanceUID " + *requested.dicomUid);
        }
        return *found;
      }
      if (!requested.dicomUid)
      {
        throw BadRequest("a study needs an OrthancId or a DicomUid");
      }
      const std::vector<CatalogStudy> matches = catalog.FindByStudyUid(*requested.dicomUid);
      if (matches.empty())
      {
        throw BadRequest("no study with StudyInstanceUID " + *requested.dicomUid);
      }
      if (matches.size() > 1)
      {
        throw BadRequest("StudyInstanceUID " + *requested.dicomUid +
                         " designates several studies (several patients): share it by OrthancId");
      }
      return matches.front();
    }
  }

  std::vector<SharedStudy> ResolveSharedStudies(IStudyCatalog& catalog, const std::vector<RequestedStudy>& requested,
                                                size_t maxStudies, bool needBirthDate)
  {
    if (requested.empty())
    {
      throw BadRequest("a share names at least one study");
    }
    if (requested.size() > maxStudies)
    {
      throw BadRequest("a share names at most " + std::to_string(maxStudies) + " studies (" +
                       std::to_string(requested.size()) + " given)");
    }
    std::vector<SharedStudy> studies;
    for (const RequestedStudy& one : requested)
    {
      const CatalogStudy found = FindStudy(catalog, one);
      if (needBirthDate && found.patientBirthDate.size() != 8)
      {
        throw BadRequest("study " + found.study.orthancId +
                         " has no PatientBirthDate, so 'RequireBirthDate' cannot be checked");
      }
      for (const SharedStudy& existing : studies)
      {
        if (existing.orthancId == found.study.orthancId)
        {
          throw BadRequest("study " + found.study.orthancId + " is named twice");
        }
      }
      studies.push_back(found.study);
    }
    return studies;
  }
}
