// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "IStudyLabels.h"
#include "OrthancApi.h"

namespace studyshare::plugin
{
  // A study's labels from Orthanc's own database (`Labels` in /studies/{id},
  // Orthanc >= 1.12). Orthanc 1.10 has no labels: every study carries none.
  class OrthancStudyLabels : public IStudyLabels
  {
  public:
    explicit OrthancStudyLabels(const OrthancApi& orthanc) : orthanc_(orthanc) {}

    StudyLabels LabelsOf(const std::string& studyOrthancId) override;
    LabelSupport Support() override;
    LabelledStudies StudiesWith(const std::string& label, size_t limit) override;

  private:
    const OrthancApi& orthanc_;
  };
}
