// SPDX-License-Identifier: GPL-3.0-or-later
#include "CachingResolver.h"

namespace studyshare
{
  CachingResolver::CachingResolver(IResourceResolver& inner, size_t capacity, std::chrono::seconds lifetime)
    : inner_(inner), capacity_(capacity), lifetime_(lifetime)
  {
  }

  std::string CachingResolver::MakeKey(const ResourceRef& resource)
  {
    // Fields never contain '/', and the level and kind are fixed-width.
    return std::to_string(static_cast<int>(resource.level)) + "/" + std::to_string(static_cast<int>(resource.kind)) +
           "/" + resource.value;
  }

  Resolution CachingResolver::ResolveStudies(const ResourceRef& resource)
  {
    if (resource.kind == IdKind::DicomUid)
    {
      return inner_.ResolveStudies(resource);
    }
    const std::string key = MakeKey(resource);
    const auto now = std::chrono::steady_clock::now();
    {
      std::lock_guard<std::mutex> lock(mutex_);
      auto found = index_.find(key);
      if (found != index_.end())
      {
        if (found->second->expiresAt > now)
        {
          lru_.splice(lru_.begin(), lru_, found->second);
          return {ResolutionStatus::Found, found->second->studies};
        }
        lru_.erase(found->second);
        index_.erase(found);
      }
    }

    Resolution resolution = inner_.ResolveStudies(resource);
    if (resolution.status == ResolutionStatus::Found && capacity_ > 0)
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (index_.count(key) == 0)
      {
        lru_.push_front({key, resolution.studies, now + lifetime_});
        index_[key] = lru_.begin();
        while (lru_.size() > capacity_)
        {
          index_.erase(lru_.back().key);
          lru_.pop_back();
        }
      }
    }
    return resolution;
  }

  void CachingResolver::Clear()
  {
    std::lock_guard<std::mutex> lock(mutex_);
    lru_.clear();
    index_.clear();
  }

  size_t CachingResolver::GetSize() const
  {
    std::lock_guard<std::mutex> lock(mutex_);
    return lru_.size();
  }
}
