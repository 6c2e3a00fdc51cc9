// SPDX-License-Identifier: GPL-3.0-or-later
#include "OpenAnswer.h"

#include "IsoTime.h"

namespace studyshare
{
  using Json = nlohmann::json;

  Json BuildOpenAnswer(const Share& share, IStudyCatalog& catalog, const std::string& sessionToken, int64_t sessionEnd,
                       Json viewers)
  {
    Json studies = Json::array();
    for (const SharedStudy& shared : share.studies)
    {
      const std::optional<CatalogStudy> study = catalog.FindByOrthancId(shared.orthancId);
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
      studies.push_back({{"OrthancId", shared.orthancId},
                         {"DicomUid", shared.dicomUid},
                         {"PatientName", shared.patientName},
                         {"PatientBirthDate", study ? study->patientBirthDate : ""},
                         {"StudyDate", shared.studyDate},
                         {"StudyDescription", shared.studyDescription},
                         {"Series", series}});
    }
    Json answer = {{"SessionToken", sessionToken},
                   {"Kind", ToString(share.kind)},
                   {"ExpirationDate", FormatIsoTime(sessionEnd)},
                   {"ShareExpirationDate", share.expiresAt ? Json(FormatIsoTime(*share.expiresAt)) : Json(nullptr)},
                   {"Permissions", share.PermissionNames()},
                   {"Studies", studies},
                   {"Viewers", std::move(viewers)}};
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
