// SPDX-License-Identifier: GPL-3.0-or-later
#include "OrthancStartChecks.h"

#include "StudyShareConfig.h"
#include "TextUtilities.h"

#include <algorithm>
#include <vector>

namespace studyshare
{
  namespace
  {
    constexpr const char* kSection = "StudyShare";
    constexpr size_t kTypoDistance = 2;

    const char* kBecause = "StudyShare is the only gate and authenticates the RegisteredUsers itself";
  }

  void CheckOrthancAuthenticationIsOff(const nlohmann::json& orthanc)
  {
    if (orthanc.contains("AuthenticationEnabled"))
    {
      const nlohmann::json& enabled = orthanc["AuthenticationEnabled"];
      if (!enabled.is_boolean())
      {
        throw ConfigurationError("configuration: 'AuthenticationEnabled' must be the boolean false");
      }
      if (enabled.get<bool>())
      {
        throw ConfigurationError(std::string("configuration: set 'AuthenticationEnabled' to false; ") + kBecause);
      }
      return;
    }
    if (orthanc.contains("RemoteAccessAllowed") && orthanc["RemoteAccessAllowed"] == true)
    {
      throw ConfigurationError(
        std::string("configuration: 'RemoteAccessAllowed' is true and 'AuthenticationEnabled' is not set, so "
                    "Orthanc turns its own authentication on and every share link would answer 401: add "
                    "\"AuthenticationEnabled\": false to the configuration; ") +
        kBecause);
    }
  }

  size_t EditDistanceAtMost(const std::string& a, const std::string& b, size_t limit)
  {
    const size_t gap = a.size() > b.size() ? a.size() - b.size() : b.size() - a.size();
    if (gap > limit)
    {
      return limit + 1;
    }
    std::vector<size_t> previous(b.size() + 1);
    std::vector<size_t> current(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j)
    {
      previous[j] = j;
    }
    for (size_t i = 1; i <= a.size(); ++i)
    {
      current[0] = i;
      size_t rowBest = current[0];
      for (size_t j = 1; j <= b.size(); ++j)
      {
        const size_t substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
        current[j] = std::min({previous[j] + 1, current[j - 1] + 1, substitution});
        rowBest = std::min(rowBest, current[j]);
      }
      if (rowBest > limit)
      {
        return limit + 1;
      }
      std::swap(previous, current);
    }
    return std::min(previous[b.size()], limit + 1);
  }

  void CheckNoMisspeltSection(const nlohmann::json& orthanc)
  {
    const std::string wanted = ToLowerAscii(kSection);
    for (auto it = orthanc.begin(); it != orthanc.end(); ++it)
    {
      if (it.key() != kSection && EditDistanceAtMost(ToLowerAscii(it.key()), wanted, kTypoDistance) <= kTypoDistance)
      {
        throw ConfigurationError("configuration: the section '" + it.key() +
                                 "' looks like a misspelling of 'StudyShare' and would be ignored; name it "
                                 "exactly 'StudyShare' (the name is case-sensitive)");
      }
    }
  }
}
