// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>

namespace studyshare
{
  // A label as Orthanc 1.12 accepts it (letters, digits, '_' and '-'), and at
  // most 64 characters: anything else cannot be a label a study carries.
  bool IsValidOrthancLabel(const std::string& label);
}
