// SPDX-License-Identifier: GPL-3.0-or-later
#include "ShareApi.h"

#include "StaffLabelRules.h"

#include <algorithm>

namespace studyshare
{
  std::optional<ApiResponse> ShareApi::RefuseUnlabelled(const std::vector<SharedStudy>& studies,
                                                        const ApiCaller& caller)
  {
    if (caller.user.role == StaffRole::Admin || staff_ == nullptr)
    {
      return std::nullopt;
    }
    std::vector<std::string> ids;
    for (const SharedStudy& study : studies)
    {
      ids.push_back(study.orthancId);
    }
    const auto refusal = RefuseUnlabelledStudies(*staff_, studyLabels_, caller.user.name, ids);
    if (!refusal)
    {
      return std::nullopt;
    }
    return Error(refusal->status, refusal->message);
  }

  std::optional<ApiResponse> ShareApi::RefuseLabel(const std::string& label, const ApiCaller& caller)
  {
    const LabelSupport support = studyLabels_ ? studyLabels_->Support() : LabelSupport::Unsupported;
    if (support == LabelSupport::Unsupported)
    {
      return Error(400, "labels need Orthanc 1.12 or newer: this server cannot share by label");
    }
    if (support == LabelSupport::Unknown)
    {
      return Error(503, "the DICOM server cannot be asked whether it has labels");
    }
    if (caller.user.role == StaffRole::Admin || staff_ == nullptr)
    {
      return std::nullopt;
    }
    const std::vector<std::string> allowed = staff_->LabelsOf(caller.user.name);
    if (!allowed.empty() && std::find(allowed.begin(), allowed.end(), label) == allowed.end())
    {
      return Error(403, "label " + label + " is none of the labels " + caller.user.name + " may share");
    }
    return std::nullopt;
  }
}
