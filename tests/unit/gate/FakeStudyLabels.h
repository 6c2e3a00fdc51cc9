// SPDX-License-Identifier: GPL-3.0-or-later
// Study labels as a test sets them: study A carries "teaching", B "research"
// and "other", C none; switched to fail like an Orthanc that cannot answer.
#pragma once

#include "IStudyLabels.h"

#include "TestSupport.h"

#include <algorithm>
#include <map>

namespace studyshare::test
{
  class FakeStudyLabels : public IStudyLabels
  {
  public:
    StudyLabels LabelsOf(const std::string& study) override
    {
      reads++;
      if (unavailable)
      {
        return {ResolutionStatus::Unavailable, {}};
      }
      auto found = labels.find(study);
      return found == labels.end() ? StudyLabels{ResolutionStatus::NotFound, {}}
                                   : StudyLabels{ResolutionStatus::Found, found->second};
    }

    LabelSupport Support() override { return support; }

    LabelledStudies StudiesWith(const std::string& label, size_t limit) override
    {
      LabelledStudies answer;
      if (unavailable)
      {
        return answer;
      }
      answer.status = ResolutionStatus::Found;
      for (const auto& [study, carried] : labels)
      {
        if (std::find(carried.begin(), carried.end(), label) == carried.end())
        {
          continue;
        }
        if (answer.studies.size() == limit)
        {
          answer.truncated = true;
          break;
        }
        answer.studies.push_back(study);
      }
      return answer;
    }

    std::map<std::string, std::vector<std::string>> labels = {
      {kStudyA, {"teaching"}}, {kStudyB, {"research", "other"}}, {kStudyC, {}}};
    bool unavailable = false;
    LabelSupport support = LabelSupport::Supported;
    int reads = 0;
  };
}
