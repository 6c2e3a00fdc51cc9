// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>

namespace studyshare::cli
{
  // studyshare migrate-store --from sqlite:PATH --to postgresql:CONN
  int MigrateStoreCommand(const std::string& from, const std::string& to);
}
