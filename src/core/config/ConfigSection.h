// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "StudyShareConfig.h"
#include "TextUtilities.h"

#include <nlohmann/json.hpp>

#include <set>
#include <string>

// The pieces StudyShareConfig.cpp and StudyShareConfigSections.cpp share:
// a section reader that reports unknown keys, and one parser per section.
namespace studyshare::config
{
  using Json = nlohmann::json;

  // Reads one section, remembering which keys were used so leftovers can be
  // reported as unknown.
  class Section
  {
  public:
    Section(const Json& value, std::string path) : value_(value), path_(std::move(path))
    {
      if (!value_.is_object())
      {
        throw ConfigurationError("configuration: '" + path_ + "' must be a JSON object");
      }
    }

    bool Has(const std::string& key)
    {
      known_.insert(key);
      return value_.contains(key) && !value_.at(key).is_null();
    }

    std::string Name(const std::string& key) const { return path_ + "." + key; }

    std::string GetString(const std::string& key, const std::string& fallback)
    {
      if (!Has(key))
      {
        return fallback;
      }
      const Json& item = value_.at(key);
      if (!item.is_string())
      {
        throw ConfigurationError("configuration: '" + Name(key) + "' must be a string");
      }
      return item.get<std::string>();
    }

    int64_t GetInteger(const std::string& key, int64_t fallback, int64_t minimum, int64_t maximum)
    {
      if (!Has(key))
      {
        return fallback;
      }
      const Json& item = value_.at(key);
      if (!item.is_number_integer())
      {
        throw ConfigurationError("configuration: '" + Name(key) + "' must be an integer");
      }
      const int64_t number = item.get<int64_t>();
      if (number < minimum || number > maximum)
      {
        throw ConfigurationError("configuration: '" + Name(key) + "' must be between " + std::to_string(minimum) +
                                 " and " + std::to_string(maximum));
      }
      return number;
    }

    bool GetBool(const std::string& key, bool fallback)
    {
      if (!Has(key))
      {
        return fallback;
      }
      const Json& item = value_.at(key);
      if (!item.is_boolean())
      {
        throw ConfigurationError("configuration: '" + Name(key) + "' must be true or false");
      }
      return item.get<bool>();
    }

    const Json& Get(const std::string& key)
    {
      known_.insert(key);
      return value_.at(key);
    }

    void RejectUnknownKeys() const
    {
      for (auto it = value_.begin(); it != value_.end(); ++it)
      {
        if (!known_.count(it.key()))
        {
          throw ConfigurationError("configuration: unknown key '" + Name(it.key()) + "'");
        }
      }
    }

  private:
    const Json& value_;
    std::string path_;
    std::set<std::string> known_;
  };

  // Keys of Orthanc's own sections that StudyShare reads (without owning them).
  inline std::string ReadOrthancString(const Json& object, const char* key, const std::string& fallback,
                                       const std::string& prefix)
  {
    if (!object.contains(key) || object[key].is_null())
    {
      return fallback;
    }
    if (!object[key].is_string())
    {
      throw ConfigurationError("configuration: '" + prefix + key + "' must be a string");
    }
    return object[key].get<std::string>();
  }

  // The path part of PublicUrl ("https://host/orthanc" → "/orthanc"): pages
  // and the OHIF build anchor their URLs there, so they hold behind a proxy
  // that serves Orthanc under a sub-path.
  inline std::string PublicPathOf(const std::string& publicUrl)
  {
    const size_t scheme = publicUrl.find("://");
    const size_t pathStart = scheme == std::string::npos ? std::string::npos : publicUrl.find('/', scheme + 3);
    std::string path = pathStart == std::string::npos ? "" : publicUrl.substr(pathStart);
    const size_t query = path.find_first_of("?#");
    if (query != std::string::npos)
    {
      path.resize(query);
    }
    while (!path.empty() && path.back() == '/')
    {
      path.pop_back();
    }
    return path;
  }

  inline std::string TrimTrailingSlashes(std::string url)
  {
    while (!url.empty() && url.back() == '/')
    {
      url.pop_back();
    }
    return url;
  }

  void ParseKeys(Section& section, StudyShareConfig& config);
  void ParseStore(Section& section, StudyShareConfig& config, const std::string& storageDirectory);
  void ParseMode(Section& section, StudyShareConfig& config);
  void ParseStaff(Section& section, const Json& orthanc, StudyShareConfig& config);
  void ParseSmtp(Section& section, StudyShareConfig& config);
  void ParseEmail(Section& section, StudyShareConfig& config);
  void ParseTrustedProxies(Section& section, StudyShareConfig& config);
  void ParseAnonymization(Section& section, StudyShareConfig& config);
  void ParseLetter(Section& section, StudyShareConfig& config);
}
