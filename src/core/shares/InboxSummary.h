// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "InboxRecords.h"

#include <nlohmann/json.hpp>

#include <vector>

namespace studyshare
{
  // What an inbox received, per study, in arrival order: PatientName,
  // StudyDate, StudyDescription, Modalities, Instances, Bytes. For staff
  // (`forStaff`) each study also names its Orthanc study ("OrthancId") and
  // StudyInstanceUID. Values are data: whoever shows them escapes them.
  nlohmann::json SummarizeReceived(const std::vector<ReceivedInstance>& received, bool forStaff);
}
