// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>

namespace studyshare
{
  // Told whenever CachingShareStore drops a share (a write through this node:
  // revocation, use, anonymization, code change) or all of them (the store's
  // change stamp moved: a write by another process or, on PostgreSQL, a
  // NOTIFY from another node), so caches derived from shares drop theirs too.
  class IShareCacheListener
  {
  public:
    virtual ~IShareCacheListener() = default;
    virtual void ShareDropped(const std::string& shareId) = 0;
    virtual void AllSharesDropped() = 0;
  };
}
