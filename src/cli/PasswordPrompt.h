// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>

namespace studyshare::cli
{
  // The password for hash-password. On a terminal: prompted on stderr,
  // typed twice with echo off (restored even on error). Otherwise: one line
  // of standard input, so scripts can pipe it. Throws UsageError when empty
  // or when the two typings differ.
  std::string ReadPassword();
}
