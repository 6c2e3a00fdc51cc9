// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>

namespace studyshare
{
  // Where the share API hands anonymized shares: it copies their studies
  // once they are stored, and removes the copies when a share ends.
  class IAnonymizationQueue
  {
  public:
    virtual ~IAnonymizationQueue() = default;
    IAnonymizationQueue() = default;
    IAnonymizationQueue(const IAnonymizationQueue&) = delete;
    IAnonymizationQueue& operator=(const IAnonymizationQueue&) = delete;

    virtual void Prepare(const std::string& shareId) = 0;
    virtual void ShareEnded(const std::string& shareId) = 0;
  };
}
