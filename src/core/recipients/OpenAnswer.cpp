// SPDX-License-Identifier: GPL-3.0-or-later
#include "OpenAnswer.h"

#include "IsoTime.h"

namespace studyshare
{
  using Json = nlohmann::json;

  namespace
  {
    Json DescribeStudy(IStudyCatalog& catalog, const SharedStudy& shared, const std::optional<CatalogStudy>& study)
    {
      Json series = Json::array();
      for (const CatalogSeries& item : catalog.ListSeries(shared.orthancId))
      {
        series.push_back({{"OrthancId", item.orthancId},
                          {"DicomUid", item.dicomUid},
                          {"Modality", item.modality},
                          {"SeriesDescription", item.description},
                          {"SeriesNumber", item.number},
                          {"Instances", item.instances}});
      }
      return {{"OrthancId", shared.orthancId},
              {"DicomUid", shared.dicomUid},
              {"PatientName", shared.patientName},
              {"PatientBirthDate", study ? study->patientBirthDate : ""},
              {"StudyDate", shared.studyDate},
              {"StudyDescription", shared.studyDescription},
              {"Series", series}};
    }

    // The studies carrying the label now; one removed or deleted meanwhile is left out.
    Json DescribeLabelledStudies(IStudyCatalog& catalog, IStudyLabels* labels, const std::string& label,
                                 bool& truncated)
    {
      const LabelledStudies found = labels ? labels->StudiesWith(label, kMaxLabelStudiesShown) : LabelledStudies{};
      if (found.status != ResolutionStatus::Found)
      {
        throw CatalogUnavailable("the studies of label " + label + " cannot be read");
      }
      truncated = found.truncated;
      Json studies = Json::array();
      for (const std::string& id : found.studies)
      {
        const std::optional<CatalogStudy> study = catalog.FindByOrthancId(id);
        if (study)
        {
          studies.push_back(DescribeStudy(catalog, study->study, study));
        }
      }
      return studies;
    }
  }

  Json BuildOpenAnswer(const Share& share, IStudyCatalog& catalog, IStudyLabels* labels,
                       const std::string& sessionToken, int64_t sessionEnd, Json viewers)
  {
    const std::optional<std::string> label = share.SharedLabel();
    bool truncated = false;
    Json studies = Json::array();
    if (label)
    {
      studies = DescribeLabelledStudies(catalog, labels, *label, truncated);
    }
    else
    {
      for (const SharedStudy& shared : share.studies)
      {
        studies.push_back(DescribeStudy(catalog, shared, catalog.FindByOrthancId(shared.orthancId)));
      }
    }
    Json answer = {{"SessionToken", sessionToken},
                   {"Kind", ToString(share.kind)},
                   {"ExpirationDate", FormatIsoTime(sessionEnd)},
                   {"ShareExpirationDate", share.expiresAt ? Json(FormatIsoTime(*share.expiresAt)) : Json(nullptr)},
                   {"Permissions", share.PermissionNames()},
                   {"Studies", studies},
                   {"Viewers", std::move(viewers)}};
    if (label)
    {
      answer["Label"] = *label;
      answer["StudiesTruncated"] = truncated;
    }
    if (share.IsInbox())
    {
      answer["Viewers"] = Json::object();  // an inbox reads nothing
      answer["MaxUploadBytes"] = share.inboxLimits.maxUploadBytes;
      answer["MaxFileBytes"] = share.inboxLimits.maxFileBytes;
      answer["MaxFiles"] = share.inboxLimits.maxFiles;
    }
    return answer;
  }
}
