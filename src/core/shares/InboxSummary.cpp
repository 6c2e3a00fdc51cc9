// SPDX-License-Identifier: GPL-3.0-or-later
#include "InboxSummary.h"

#include "Utf8Text.h"

#include <map>
#include <set>

namespace studyshare
{
  nlohmann::json SummarizeReceived(const std::vector<ReceivedInstance>& received, bool forStaff)
  {
    struct Study
    {
      const ReceivedInstance* first = nullptr;
      std::set<std::string> modalities;
      int64_t instances = 0;
      int64_t bytes = 0;
    };
    std::vector<std::string> order;
    std::map<std::string, Study> studies;
    for (const ReceivedInstance& instance : received)
    {
      Study& study = studies[instance.studyInstanceUid];
      if (study.first == nullptr)
      {
        study.first = &instance;
        order.push_back(instance.studyInstanceUid);
      }
      if (!instance.modality.empty())
      {
        study.modalities.insert(instance.modality);
      }
      study.instances++;
      study.bytes += instance.bytes;
    }
    nlohmann::json list = nlohmann::json::array();
    int64_t instances = 0;
    int64_t bytes = 0;
    for (const std::string& uid : order)
    {
      const Study& study = studies[uid];
      nlohmann::json item = {{"PatientName", ToValidUtf8(study.first->patientName)},
                             {"StudyDate", ToValidUtf8(study.first->studyDate)},
                             {"StudyDescription", ToValidUtf8(study.first->studyDescription)},
                             {"Modalities", study.modalities},
                             {"Instances", study.instances},
                             {"Bytes", study.bytes}};
      if (forStaff)
      {
        item["OrthancId"] = study.first->orthancStudyId;
        item["StudyInstanceUID"] = uid;
        item["PatientID"] = ToValidUtf8(study.first->patientId);
      }
      list.push_back(item);
      instances += study.instances;
      bytes += study.bytes;
    }
    return {{"Studies", list}, {"Instances", instances}, {"Bytes", bytes}};
  }
}
