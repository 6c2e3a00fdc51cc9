// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "HttpRequest.h"
#include "RequestTarget.h"

#include <optional>
#include <string>
#include <vector>

namespace studyshare
{
  // How the DICOMweb plugin reads UID filters from GET arguments. It matches
  // keys byte for byte: the exact keyword, or the tag in hex (any case, with
  // or without a comma); any other spelling is ignored by Orthanc and so
  // constrains nothing here either. Values are not percent-decoded, except
  // that "%2C" separates list items like ",".
  std::optional<ResourceLevel> ClassifyUidFilterKey(const std::string& key);

  // Its resources borrow the arguments it was read from.
  struct ArgumentReading
  {
    ResourceViews resources;
    std::optional<ResourceLevel> broadest;  // the least specific level a filter names
    std::string problem;                    // non-empty: the arguments cannot be trusted
    bool retrievesDicom = false;            // the answer is the DICOM object itself (needs Download)
  };

  // Every value of every UID filter, each list item a resource. Repeated keys
  // are all read (Orthanc keeps the last one; requiring all granted covers it).
  // An empty value or item widens a search to everything: that is a problem.
  // So is any key not plainly harmless: DCMTK parses tag keys loosely
  // ("0020-000D", "20,d", "0x20,0xd" all name StudyInstanceUID), so only
  // plain keywords, exact 8-digit or "gggg,eeee" tags, the QIDO controls and
  // `ignoredKey` (the token argument) are read; anything else is refused.
  ArgumentReading ReadUidFilters(const HttpPairs& arguments, const std::string& ignoredKey);
  ArgumentReading ReadUidFilters(HttpPairs&& arguments, const std::string& ignoredKey) = delete;

  // WADO-URI: the DICOMweb plugin serves the object named by the last
  // `objectUID` and checks `studyUID` / `seriesUID` only when non-empty.
  // Repeated keys are refused rather than second-guessed.
  ArgumentReading ReadWadoUriArguments(const HttpPairs& arguments);
  ArgumentReading ReadWadoUriArguments(HttpPairs&& arguments) = delete;

  // What a WADO-URI request answers, read as the DICOMweb plugin reads
  // `contentType` (the last value, compared byte for byte, JPEG when absent):
  // false only for the rendered images it serves (image/jpeg, image/jpg,
  // image/png); the DICOM object and anything else count as a retrieval.
  bool WadoUriRetrievesDicom(const HttpPairs& arguments);
}
