// SPDX-License-Identifier: GPL-3.0-or-later
// The share API's checks before a study is shared anonymized.
#include "ShareApi.h"
#include "ShareRequest.h"

#include <algorithm>

namespace studyshare
{
  namespace
  {
    bool Lists(const std::vector<std::string>& list, const std::string& modality)
    {
      return std::find(list.begin(), list.end(), modality) != list.end();
    }

    std::string DescribeSeries(const SeriesPixelText& series)
    {
      return "series " + series.orthancId + " (" + (series.modality.empty() ? "no modality" : series.modality) +
             (series.description.empty() ? "" : ", " + series.description) + ")";
    }
  }

  // A copy StudyShare made is its share's: shared again as an original, it
  // would vanish when that share ends, and staff would think it a patient's.
  void ShareApi::RefuseCopies(const std::vector<SharedStudy>& studies)
  {
    for (const SharedStudy& study : studies)
    {
      const std::optional<std::string> owner = catalog_.CopyOwner(study.orthancId);
      if (owner)
      {
        throw BadRequest("study " + study.orthancId + " is the anonymized copy StudyShare made for share " + *owner +
                         ": share the original instead");
      }
    }
  }

  // Anonymization rewrites tags, not pixels: a study whose images may show
  // the patient's name is refused unless the sharer was warned and agreed.
  void ShareApi::RefusePixelText(const std::vector<SharedStudy>& studies)
  {
    const AnonymizationSettings& policy = config_.anonymization;
    for (const SharedStudy& study : studies)
    {
      for (const SeriesPixelText& series : catalog_.InspectPixelText(study.orthancId))
      {
        std::string why;
        if (series.burnedInAnnotation)
        {
          why = "says BurnedInAnnotation YES";
        }
        else if (Lists(policy.burnedInModalities, series.modality))
        {
          why = "is of a modality whose images usually carry text";
        }
        else if (series.secondaryCapture && Lists(policy.secondaryCaptureModalities, series.modality))
        {
          why = "is a secondary capture, whose images usually carry text";
        }
        if (!why.empty())
        {
          throw BadRequest("study " + study.orthancId + ": " + DescribeSeries(series) + " " + why +
                           "; anonymization does not remove text burned into the pixels. Send "
                           "\"AllowBurnedInAnnotation\": true once you have checked the images");
        }
      }
    }
  }
}
