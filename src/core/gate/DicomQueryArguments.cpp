// SPDX-License-Identifier: GPL-3.0-or-later
#include "DicomQueryArguments.h"

#include "TextUtilities.h"

namespace studyshare
{
  namespace
  {
    struct UidFilterKey
    {
      const char* keyword;
      const char* hexTag;
      ResourceLevel level;
    };

    const UidFilterKey kUidFilterKeys[] = {
      {"StudyInstanceUID", "0020000D", ResourceLevel::Study},
      {"SeriesInstanceUID", "0020000E", ResourceLevel::Series},
      {"SOPInstanceUID", "00080018", ResourceLevel::Instance},
    };

    bool IsLessSpecific(ResourceLevel a, ResourceLevel b)
    {
      return static_cast<int>(a) < static_cast<int>(b);
    }

    // Calls `item` for every list item, split on ',' and on the literal
    // "%2C" / "%2c" that the plugin also honours; false as soon as it does.
    template <typename ItemFunction>
    bool ForEachUidListItem(std::string_view value, ItemFunction item)
    {
      size_t start = 0;
      for (size_t i = 0; i < value.size(); i++)
      {
        size_t separatorLength = 0;
        if (value[i] == ',')
        {
          separatorLength = 1;
        }
        else if (value[i] == '%' && i + 2 < value.size() && value[i + 1] == '2' &&
                 (value[i + 2] == 'C' || value[i + 2] == 'c'))
        {
          separatorLength = 3;
        }
        if (separatorLength != 0)
        {
          if (!item(value.substr(start, i - start)))
          {
            return false;
          }
          start = i + separatorLength;
          i = start - 1;
        }
      }
      return item(value.substr(start));
    }

    void AddUid(ArgumentReading& reading, ResourceLevel level, std::string_view value, const std::string& key)
    {
      if (!IsDicomUid(value))
      {
        reading.problem = "argument '" + key + "' holds an empty or invalid UID";
        return;
      }
      reading.resources.push_back({level, IdKind::DicomUid, value});
      if (!reading.broadest || IsLessSpecific(level, *reading.broadest))
      {
        reading.broadest = level;
      }
    }
  }

  namespace
  {
    bool IsHex(const std::string& text)
    {
      return !text.empty() && text.find_first_not_of("0123456789abcdefABCDEF") == std::string::npos;
    }

    // A key that either names one non-UID attribute or nothing at all.
    bool IsHarmlessKey(const std::string& key)
    {
      if (key.empty())
      {
        return false;
      }
      if (key == "_")
      {
        return true;  // jQuery's cache buster (cache: false)
      }
      if (key.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") == std::string::npos)
      {
        // A plain keyword: DCMTK's dictionary is case-sensitive, but a UID
        // keyword in another case is refused rather than trusted to be ignored.
        for (const UidFilterKey& candidate : kUidFilterKeys)
        {
          if (EqualsIgnoreCase(key, candidate.keyword))
          {
            return false;
          }
        }
        return true;
      }
      if (key.size() == 8 && IsHex(key))
      {
        return true;
      }
      return key.size() == 9 && key[4] == ',' && IsHex(key.substr(0, 4)) && IsHex(key.substr(5));
    }
  }

  std::optional<ResourceLevel> ClassifyUidFilterKey(const std::string& key)
  {
    std::string compact = key;
    if (compact.size() == 9 && compact[4] == ',')
    {
      compact.erase(4, 1);
    }
    for (const UidFilterKey& candidate : kUidFilterKeys)
    {
      if (key == candidate.keyword || EqualsIgnoreCase(compact, candidate.hexTag))
      {
        return candidate.level;
      }
    }
    return std::nullopt;
  }

  ArgumentReading ReadUidFilters(const HttpPairs& arguments, const std::string& ignoredKey)
  {
    ArgumentReading reading;
    for (const auto& argument : arguments)
    {
      const std::string& key = argument.first;  // named, not bound: the lambda below captures it
      const std::string& value = argument.second;
      if (key == ignoredKey)
      {
        continue;
      }
      const auto level = ClassifyUidFilterKey(key);
      if (!level)
      {
        if (!IsHarmlessKey(key))
        {
          reading.problem = "argument '" + key + "' may be read by Orthanc as a UID filter";
          return reading;
        }
        continue;
      }
      const bool readable = ForEachUidListItem(value,
                                               [&](std::string_view item)
                                               {
                                                 AddUid(reading, *level, item, key);
                                                 return reading.problem.empty();
                                               });
      if (!readable)
      {
        return reading;
      }
    }
    return reading;
  }

  bool WadoUriRetrievesDicom(const HttpPairs& arguments)
  {
    std::optional<std::string> contentType;
    for (const auto& [key, value] : arguments)
    {
      if (key == "contentType")
      {
        contentType = value;
      }
    }
    if (!contentType)
    {
      return false;
    }
    return *contentType != "image/jpeg" && *contentType != "image/jpg" && *contentType != "image/png";
  }

  ArgumentReading ReadWadoUriArguments(const HttpPairs& arguments)
  {
    struct WadoKey
    {
      const char* name;
      ResourceLevel level;
      bool required;
    };
    static const WadoKey kKeys[] = {
      {"objectUID", ResourceLevel::Instance, true},
      {"seriesUID", ResourceLevel::Series, false},
      {"studyUID", ResourceLevel::Study, false},
    };

    ArgumentReading reading;
    for (const WadoKey& wadoKey : kKeys)
    {
      const std::string* found = nullptr;
      for (const auto& [key, value] : arguments)
      {
        if (key != wadoKey.name)
        {
          continue;
        }
        if (found != nullptr)
        {
          reading.problem = std::string("WADO-URI argument '") + wadoKey.name + "' is repeated";
          return reading;
        }
        found = &value;
      }
      if (found == nullptr || found->empty())
      {
        if (wadoKey.required)
        {
          reading.problem = "WADO-URI request without objectUID";
          return reading;
        }
        continue;
      }
      AddUid(reading, wadoKey.level, *found, wadoKey.name);
      if (!reading.problem.empty())
      {
        return reading;
      }
    }
    reading.retrievesDicom = WadoUriRetrievesDicom(arguments);
    return reading;
  }
}
