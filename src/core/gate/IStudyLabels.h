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

  struct LabelledStudies
  {
    ResolutionStatus status = ResolutionStatus::Unavailable;
    std::vector<std::string> studies;  // Orthanc IDs, at most the limit asked
    bool truncated = false;            // more studies carry the label
  };

  enum class LabelSupport
  {
    Supported,    // Orthanc >= 1.12
    Unsupported,  // an Orthanc without labels (1.10, 1.11)
    Unknown       // the server could not be asked
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

    // Whether the DICOM server has labels at all.
    virtual LabelSupport Support() = 0;

    // The studies carrying `label` now, at most `limit` of them (for lists
    // shown to recipients; access is decided by LabelsOf, study by study).
    virtual LabelledStudies StudiesWith(const std::string& label, size_t limit) = 0;
  };

  // True when the study carries one of `allowed`; Found/NotFound/Unavailable in `status`.
  bool CarriesOneOf(IStudyLabels& labels, const std::string& studyOrthancId, const std::vector<std::string>& allowed,
                    ResolutionStatus& status);
}
