// SPDX-License-Identifier: GPL-3.0-or-later
// Orthanc's configuration as the plugin reads it: any JSON is either parsed
// or refused with a ConfigurationError naming what is wrong.
#include "FuzzInput.h"
#include "StudyShareConfig.h"

using namespace studyshare;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
  const nlohmann::json configuration = nlohmann::json::parse(fuzz::Text(data, size), nullptr, false);
  if (configuration.is_discarded())
  {
    return 0;
  }
  try
  {
    const StudyShareConfig config = StudyShareConfig::Parse(configuration);
    StaffDirectory staff;
    config.FillStaffDirectory(staff);
  }
  catch (const ConfigurationError&)
  {
  }
  return 0;
}
