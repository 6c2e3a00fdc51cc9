// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "IResourceResolver.h"

#include <chrono>
#include <list>
#include <memory>
#include <mutex>
#include <unordered_map>

namespace studyshare
{
  // Bounded LRU cache in front of a resolver. Only Found answers are cached.
  // Orthanc IDs are digests of the hierarchy, so their parents never change;
  // a DICOM UID may gain a new owner when an instance arrives, so UID entries
  // are dropped on every new resource, and everything on a deletion.
  class CachingResolver : public IResourceResolver
  {
  public:
    CachingResolver(IResourceResolver& inner, size_t capacity, std::chrono::seconds lifetime);

    Resolution ResolveStudies(const ResourceRef& resource) override;

    void ForgetUidEntries();
    void Clear();
    size_t GetSize() const;

  private:
    struct Entry
    {
      std::string key;
      bool byUid;
      std::vector<std::string> studies;
      std::chrono::steady_clock::time_point expiresAt;
    };

    static std::string MakeKey(const ResourceRef& resource);

    IResourceResolver& inner_;
    const size_t capacity_;
    const std::chrono::seconds lifetime_;
    mutable std::mutex mutex_;
    std::list<Entry> lru_;  // most recently used first
    std::unordered_map<std::string, std::list<Entry>::iterator> index_;
  };
}
