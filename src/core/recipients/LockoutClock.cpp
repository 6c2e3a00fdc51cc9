// SPDX-License-Identifier: GPL-3.0-or-later
#include "LockoutClock.h"

namespace studyshare
{
  int64_t LockedUntil(IShareStore& store, const std::string& shareId, int64_t now, int64_t windowSeconds,
                      int64_t maxFailed)
  {
    // At time T the share is locked while CountFailedAttempts(T - window) >=
    // maxFailed, and that count only falls as T grows. Search the smallest
    // `since` in (now - window, now + 1] whose count is below the limit.
    int64_t locked = now - windowSeconds;  // count(locked) >= maxFailed (or the share is open now)
    int64_t open = now + 1;                // no failure is recorded in the future
    if (store.CountFailedAttempts(shareId, locked) < maxFailed)
    {
      return now;
    }
    while (open - locked > 1)
    {
      const int64_t middle = locked + (open - locked) / 2;
      if (store.CountFailedAttempts(shareId, middle) >= maxFailed)
      {
        locked = middle;
      }
      else
      {
        open = middle;
      }
    }
    return open + windowSeconds;
  }
}
