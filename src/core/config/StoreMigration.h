// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "IShareStore.h"

#include <cstdint>
#include <stdexcept>
#include <string>

namespace studyshare
{
  struct StoreMigrationReport
  {
    int64_t shares = 0;        // in the source
    int64_t copied = 0;        // written to the target by this run
    int64_t alreadyThere = 0;  // identical in the target (an earlier run)
    int64_t auditEvents = 0;   // in the source, and verified in the target
    int64_t apiKeys = 0;       // staff API keys in the source (copied or already there)
  };

  // The target holds a different share under the same ID: nothing is overwritten.
  class StoreMigrationConflict : public std::runtime_error
  {
  public:
    using std::runtime_error::runtime_error;
  };

  // Copies every share (with its studies, use count, revocation) and its
  // audit trail, and every staff API key with its trail, from one store to another, then verifies each one. Shares
  // already copied identically are kept, so running it twice is safe; a
  // share that differs is a conflict and stops the run. (Failed attempts and
  // code guesses last minutes and are not copied.)
  StoreMigrationReport MigrateStore(IShareStore& from, IShareStore& to);
}
