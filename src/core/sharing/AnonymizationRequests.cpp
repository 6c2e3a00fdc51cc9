// SPDX-License-Identifier: GPL-3.0-or-later
#include "AnonymizationRequests.h"

#include "Crypto.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>

namespace studyshare
{
  namespace
  {
    // The tags whose values a study-level modification renews, as the
    // configuration may spell them (name or gggg,eeee).
    constexpr std::pair<const char*, const char*> kRenewedUids[] = {
      {"StudyInstanceUID", "0020,000d"}, {"SeriesInstanceUID", "0020,000e"}, {"SOPInstanceUID", "0008,0018"}};

    std::string Lower(std::string text)
    {
      std::transform(text.begin(), text.end(), text.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      return text;
    }
  }

  std::string NewPseudonym()
  {
    // Random, not derived from the share: the name says nothing the link does not.
    std::string suffix = crypto::RandomId(5);
    for (char& c : suffix)
    {
      if (c >= 'a' && c <= 'z')
      {
        c = static_cast<char>(c - 'a' + 'A');
      }
      else if (!(c >= 'A' && c <= 'Z') && !(c >= '0' && c <= '9'))
      {
        c = 'X';
      }
    }
    return "ANONYMIZED^" + suffix;
  }

  std::string AnonymizeRequest(const AnonymizationSettings& settings, const std::string& pseudonym)
  {
    nlohmann::json replace = nlohmann::json::object();
    for (const auto& [tag, value] : settings.replace)
    {
      replace[tag] = value;
    }
    replace["PatientName"] = pseudonym;
    // Orthanc 1.10 sets PatientIdentityRemoved but not always the method: say it.
    replace["DeidentificationMethod"] =
      "StudyShare: Orthanc PS3.15 Basic Profile" +
      (settings.dicomVersion.empty() ? std::string() : " (" + settings.dicomVersion + ")");
    nlohmann::json body = {{"Replace", replace},
                           {"Keep", settings.keep},
                           {"Remove", settings.remove},
                           {"KeepPrivateTags", false},
                           {"Asynchronous", true},
                           {"Permissive", false},
                           {"Force", !settings.keep.empty() || !settings.replace.empty()}};
    if (!settings.dicomVersion.empty())
    {
      body["DicomVersion"] = settings.dicomVersion;
    }
    return body.dump();
  }

  std::string UnlinkRequest(const AnonymizationSettings& settings)
  {
    nlohmann::json keep = nlohmann::json::array();
    for (const std::string& tag : settings.keep)
    {
      for (const auto& [name, number] : kRenewedUids)
      {
        if (Lower(tag) == Lower(name) || Lower(tag) == number)
        {
          keep.push_back(name);
        }
      }
    }
    return nlohmann::json{
      {"Keep", keep}, {"KeepSource", false}, {"Asynchronous", true}, {"Permissive", false}, {"Force", !keep.empty()}}
      // Orthanc asks for it to keep a UID
      .dump();
  }
}
