// SPDX-License-Identifier: GPL-3.0-or-later
// DICOM query arguments (QIDO UID filters, WADO-URI keys and contentType).
// Properties: every resource read is a valid DICOM UID; a reading without a
// problem that names resources has a broadest level.
#include "DicomQueryArguments.h"
#include "FuzzInput.h"

using namespace studyshare;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
  std::string path;
  HttpPairs arguments;
  fuzz::SplitUri("?" + fuzz::Text(data, size), path, arguments);
  for (const ArgumentReading& reading : {ReadUidFilters(arguments, "token"), ReadWadoUriArguments(arguments)})
  {
    for (const ResourceView& resource : reading.resources)
    {
      fuzz::Require(IsDicomUid(resource.value));
    }
    if (reading.problem.empty() && !reading.resources.empty())
    {
      fuzz::Require(reading.broadest.has_value());
    }
  }
  (void)WadoUriRetrievesDicom(arguments);
  for (const auto& [key, value] : arguments)
  {
    (void)ClassifyUidFilterKey(key);
    (void)value;
  }
  return 0;
}
