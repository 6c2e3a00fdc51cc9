// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "SharingSettings.h"

#include <string>

namespace studyshare
{
  // The bodies of the two Orthanc jobs that make an anonymized copy.

  // A random patient name for one copy, "ANONYMIZED^" and five letters or digits.
  std::string NewPseudonym();

  // First pass: POST /studies/{original}/anonymize, the site's policy with
  // this pseudonym as the patient's name.
  std::string AnonymizeRequest(const AnonymizationSettings& settings, const std::string& pseudonym);

  // Second pass: POST /studies/{first copy}/modify. Orthanc records the
  // source of every resource it writes; after an anonymization that source
  // is the original (AnonymizedFrom). Modifying the first copy gives the
  // final one new UIDs and records only the first copy (ModifiedFrom), which
  // Orthanc then deletes (KeepSource false). Every tag value stays as the
  // first pass left it; the UIDs the site keeps are kept again.
  std::string UnlinkRequest(const AnonymizationSettings& settings);
}
