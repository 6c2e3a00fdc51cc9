// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "IResourceResolver.h"

#include <string>
#include <vector>

namespace studyshare
{
  struct StudyLabels
  {
    ResolutionStatus status = ResolutionStatus::Unavailable;
    std::vector<std::string> labels;  // as the DICOM server has them now
  };

  // The labels a study carries (Orthanc 1.12's `Labels`), read from the DICOM
  // server's own database at each question: a label removed counts at once.
  class IStudyLabels
  {
  public:
    virtual ~IStudyLabels() = default;
    IStudyLabels() = default;
    IStudyLabels(const IStudyLabels&) = delete;
    IStudyLabels& operator=(const IStudyLabels&) = delete;

    virtual StudyLabels LabelsOf(const std::string& studyOrthancId) = 0;
  };

  // True when the study carries one of `allowed`; Found/NotFound/Unavailable in `status`.
  bool CarriesOneOf(IStudyLabels& labels, const std::string& studyOrthancId, const std::vector<std::string>& allowed,
                    ResolutionStatus& status);
}
