// SPDX-License-Identifier: GPL-3.0-or-later
#include "RouteFamilies.h"

#include "TextUtilities.h"

#include <algorithm>

namespace studyshare
{
  namespace
  {
    // Top-level routes of Orthanc 1.10 and of the plugins it may run beside
    // StudyShare (Explorer, Explorer 2, DICOMweb, viewers, WebDAV, transfers,
    // WSI, authorization); the route table's own rows are added to these.
    // The DICOMweb and WADO-URI roots come from the settings (they move).
    const char* const kOrthancFamilies[] = {
      "/app",
      "/changes",
      "/exports",
      "/instances",
      "/jobs",
      "/modalities",
      "/patients",
      "/peers",
      "/plugins",
      "/queries",
      "/series",
      "/statistics",
      "/storage-commitment",
      "/studies",
      "/system",
      "/tools",
      "/ui",
      "/auth",
      "/webdav",
      "/transfers",
      "/wsi",
      "/web-viewer",
      "/stone-webviewer",
      "/osimis-viewer",
      "/volview",
      "/share",
      "/studyshare",
      "/favicon.ico",
    };

    std::vector<std::string> Segments(const std::string& path)
    {
      std::vector<std::string> segments;
      for (const std::string& segment : Split(path, '/'))
      {
        if (!segment.empty())
        {
          segments.push_back(ToLowerAscii(segment));
        }
      }
      return segments;
    }

    // The literal segments a pattern starts with (up to its first placeholder or wildcard).
    std::string LiteralPrefix(const std::string& pattern)
    {
      std::string prefix;
      for (const std::string& segment : Split(pattern, '/'))
      {
        if (segment.empty())
        {
          continue;
        }
        if (segment.find_first_of("{*") != std::string::npos)
        {
          break;
        }
        prefix += "/" + segment;
      }
      return prefix;
    }

    bool OneIsPrefixOfTheOther(const std::vector<std::string>& a, const std::vector<std::string>& b)
    {
      const size_t common = std::min(a.size(), b.size());
      return std::equal(a.begin(), a.begin() + static_cast<std::ptrdiff_t>(common), b.begin());
    }
  }

  std::optional<std::string> FindRouteOverlap(const std::string& root, const GrammarSettings& settings)
  {
    const std::vector<std::string> rootSegments = Segments(root);
    if (rootSegments.empty())
    {
      return std::string("/");
    }
    std::vector<std::string> families(std::begin(kOrthancFamilies), std::end(kOrthancFamilies));
    families.push_back(settings.dicomWebRoot);
    families.push_back(settings.wadoRoot);
    for (const RouteRule& rule : DefaultRouteTable())
    {
      const std::string pattern = rule.pattern;
      if (pattern.rfind("{ohif}", 0) == 0)
      {
        continue;
      }
      if (pattern.rfind("{dicomweb}", 0) == 0 || pattern.rfind("{wado}", 0) == 0)
      {
        continue;  // under the roots added above
      }
      families.push_back(LiteralPrefix(pattern));
    }
    for (const std::string& family : families)
    {
      const std::vector<std::string> familySegments = Segments(family);
      if (!familySegments.empty() && OneIsPrefixOfTheOther(rootSegments, familySegments))
      {
        return family;
      }
    }
    return std::nullopt;
  }
}
