// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "IShareStore.h"

#include <cstdint>

namespace studyshare
{
  // When a locked share opens again if nobody fails meanwhile: the first
  // moment its sliding window holds fewer than `maxFailed` failures. Found
  // by bisecting the window with CountFailedAttempts (about log2(window)
  // counts, only on a locked answer), so every store answers it as is.
  int64_t LockedUntil(IShareStore& store, const std::string& shareId, int64_t now, int64_t windowSeconds,
                      int64_t maxFailed);
}
