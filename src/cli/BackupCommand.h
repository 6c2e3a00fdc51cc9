// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>

namespace studyshare::cli
{
  // studyshare backup --store PATH --to FILE [--force]
  int BackupCommand(const std::string& store, const std::string& to, bool force);
}
