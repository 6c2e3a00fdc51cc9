// SPDX-License-Identifier: GPL-3.0-or-later
#include "CachingResolver.h"

#include <algorithm>
#include <functional>

namespace studyshare
{
  CachingResolver::CachingResolver(IResourceResolver& inner, size_t capacity, std::chrono::seconds lifetime)
    : inner_(inner), capacity_(capacity), lifetime_(lifetime)
  {
  }

  std::optional<CachingResolver::OrthancIdKey> CachingResolver::KeyOf(const ResourceView& resource)
  {
    if (resource.kind != IdKind::OrthancId || resource.value.size() != std::tuple_size<OrthancIdKey>::value)
    {
      return std::nullopt;
    }
    OrthancIdKey key;
    std::copy(resource.value.begin(), resource.value.end(), key.begin());
    return key;
  }

  const std::vector<std::string>* CachingResolver::FindFresh(const ResourceView& resource,
                                                             std::chrono::steady_clock::time_point now)
  {
    const std::optional<OrthancIdKey> key = KeyOf(resource);
    if (!key)
    {
      return nullptr;
    }
    Index& index = index_[static_cast<size_t>(resource.level)];
    auto found = index.find(*key);
    if (found == index.end())
    {
      return nullptr;
    }
    if (found->second->expiresAt <= now)
    {
      lru_.erase(found->second);
      index.erase(found);
      return nullptr;
    }
    lru_.splice(lru_.begin(), lru_, found->second);
    return &found->second->studies;
  }

  void CachingResolver::Remember(const ResourceView& resource, const std::vector<std::string>& studies,
                                 std::chrono::steady_clock::time_point now)
  {
    std::lock_guard<std::mutex> lock(mutex_);
    const std::optional<OrthancIdKey> key = KeyOf(resource);
    Index& index = index_[static_cast<size_t>(resource.level)];
    if (!key || index.count(*key) != 0)
    {
      return;
    }
    lru_.push_front({resource.level, *key, studies, now + lifetime_});
    index[*key] = lru_.begin();
    while (lru_.size() > capacity_)
    {
      index_[static_cast<size_t>(lru_.back().level)].erase(lru_.back().orthancId);
      lru_.pop_back();
    }
  }

  Resolution CachingResolver::ResolveStudies(const ResourceView& resource)
  {
    if (resource.kind == IdKind::DicomUid)
    {
      return inner_.ResolveStudies(resource);
    }
    const auto now = std::chrono::steady_clock::now();
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (const std::vector<std::string>* studies = FindFresh(resource, now))
      {
        return {ResolutionStatus::Found, *studies};
      }
    }
    Resolution resolution = inner_.ResolveStudies(resource);
    if (resolution.status == ResolutionStatus::Found && capacity_ > 0)
    {
      Remember(resource, resolution.studies, now);
    }
    return resolution;
  }

  ResolutionStatus CachingResolver::CheckStudies(const ResourceView& resource,
                                                 const std::function<bool(const std::string&)>& granted,
                                                 bool& allGranted)
  {
    if (resource.kind == IdKind::OrthancId)
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (const std::vector<std::string>* studies = FindFresh(resource, std::chrono::steady_clock::now()))
      {
        allGranted = !studies->empty() && std::all_of(studies->begin(), studies->end(), std::cref(granted));
        return studies->empty() ? ResolutionStatus::NotFound : ResolutionStatus::Found;
      }
    }
    return IResourceResolver::CheckStudies(resource, granted, allGranted);
  }

  void CachingResolver::Clear()
  {
    std::lock_guard<std::mutex> lock(mutex_);
    lru_.clear();
    for (Index& index : index_)
    {
      index.clear();
    }
  }

  size_t CachingResolver::GetSize() const
  {
    std::lock_guard<std::mutex> lock(mutex_);
    return lru_.size();
  }
}
