// SPDX-License-Identifier: GPL-3.0-or-later
#include "ShareApi.h"

#include "StaffLabelRules.h"

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
}
