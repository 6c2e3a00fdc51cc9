// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "IResourceResolver.h"

#include <array>
#include <chrono>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string_view>
#include <unordered_map>

namespace studyshare
{
  // Bounded LRU cache in front of a resolver. Only Found answers for Orthanc
  // IDs are cached: an Orthanc ID is a digest of the hierarchy (patient,
  // study, series and instance UIDs), so the study it belongs to never
  // changes, whatever is deleted and re-created. A DICOM UID is never
  // answered from the cache: it may name another resource as soon as one is
  // deleted and another uploaded with the same UID, on any node of a shared
  // index, and no node is told of changes made by another.
  class CachingResolver : public IResourceResolver
  {
  public:
    CachingResolver(IResourceResolver& inner, size_t capacity, std::chrono::seconds lifetime);

    Resolution ResolveStudies(const ResourceView& resource) override;
    ResolutionStatus CheckStudies(const ResourceView& resource, const std::function<bool(const std::string&)>& granted,
                                  bool& allGranted) override;

    void Clear();
    size_t GetSize() const;

  private:
    // An Orthanc ID is exactly 44 characters: kept inline, a key costs no allocation.
    using OrthancIdKey = std::array<char, 44>;
    struct KeyHash
    {
      size_t operator()(const OrthancIdKey& key) const
      {
        return std::hash<std::string_view>()(std::string_view(key.data(), key.size()));
      }
    };

    struct Entry
    {
      ResourceLevel level;
      OrthancIdKey orthancId;
      std::vector<std::string> studies;
      std::chrono::steady_clock::time_point expiresAt;
    };
    using Index = std::unordered_map<OrthancIdKey, std::list<Entry>::iterator, KeyHash>;

    // The cached studies of a fresh entry (moved to the front), or null; under the lock.
    const std::vector<std::string>* FindFresh(const ResourceView& resource, std::chrono::steady_clock::time_point now);
    static std::optional<OrthancIdKey> KeyOf(const ResourceView& resource);
    void Remember(const ResourceView& resource, const std::vector<std::string>& studies,
                  std::chrono::steady_clock::time_point now);

    IResourceResolver& inner_;
    const size_t capacity_;
    const std::chrono::seconds lifetime_;
    mutable std::mutex mutex_;
    std::list<Entry> lru_;  // most recently used first
    // One index per level, keyed by the Orthanc ID itself: no key is built per request.
    std::array<Index, 4> index_;
  };
}
