// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "Share.h"

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace studyshare
{
  class CatalogUnavailable : public std::runtime_error
  {
  public:
    using std::runtime_error::runtime_error;
  };

  struct CatalogStudy
  {
    SharedStudy study;
    std::string patientBirthDate;  // YYYYMMDD, empty if unknown
  };

  struct CatalogSeries
  {
    std::string orthancId;
    std::string dicomUid;
    std::string modality;
    std::string description;
    std::string number;
    std::vector<std::string> instances;  // Orthanc IDs, in display order
  };

  // What a series' pixels may carry beyond its tags: anonymization rewrites
  // tags, never pixels.
  struct SeriesPixelText
  {
    std::string orthancId;
    std::string modality;
    std::string description;
    bool burnedInAnnotation = false;  // an instance says BurnedInAnnotation YES
    bool secondaryCapture = false;    // an instance is of a Secondary Capture SOP class
  };

  // The studies the DICOM server holds, for validating share requests.
  class IStudyCatalog
  {
  public:
    virtual ~IStudyCatalog() = default;
    IStudyCatalog() = default;
    IStudyCatalog(const IStudyCatalog&) = delete;
    IStudyCatalog& operator=(const IStudyCatalog&) = delete;

    virtual std::optional<CatalogStudy> FindByOrthancId(const std::string& orthancId) = 0;
    virtual std::vector<CatalogStudy> FindByStudyUid(const std::string& studyInstanceUid) = 0;
    virtual std::vector<CatalogSeries> ListSeries(const std::string& studyOrthancId) = 0;
    virtual std::vector<SeriesPixelText> InspectPixelText(const std::string& studyOrthancId) = 0;
    // The share whose anonymized copy this study is (StudyShare marks its
    // copies); nullopt for any other study.
    virtual std::optional<std::string> CopyOwner(const std::string& studyOrthancId) = 0;
  };
}
