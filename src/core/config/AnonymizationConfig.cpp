// SPDX-License-Identifier: GPL-3.0-or-later
// StudyShare.Anonymization: the site's policy for anonymized shares.
#include "ConfigSection.h"

namespace studyshare::config
{
  namespace
  {
    std::string UpperAscii(std::string text)
    {
      for (char& c : text)
      {
        if (c >= 'a' && c <= 'z')
        {
          c = static_cast<char>(c - 'a' + 'A');
        }
      }
      return text;
    }

    std::vector<std::string> ReadStringList(Section& section, const std::string& key, std::vector<std::string> fallback,
                                            bool upperCase)
    {
      if (!section.Has(key))
      {
        return fallback;
      }
      const Json& list = section.Get(key);
      if (!list.is_array())
      {
        throw ConfigurationError("configuration: '" + section.Name(key) + "' must be a list of strings");
      }
      std::vector<std::string> values;
      for (const Json& item : list)
      {
        if (!item.is_string() || item.get<std::string>().empty())
        {
          throw ConfigurationError("configuration: '" + section.Name(key) + "' must be a list of non-empty strings");
        }
        values.push_back(upperCase ? UpperAscii(item.get<std::string>()) : item.get<std::string>());
      }
      return values;
    }
  }

  void ParseAnonymization(Section& parent, StudyShareConfig& config)
  {
    if (!parent.Has("Anonymization"))
    {
      return;
    }
    Section section(parent.Get("Anonymization"), parent.Name("Anonymization"));
    AnonymizationSettings& settings = config.anonymization;
    settings.keep = ReadStringList(section, "Keep", {}, false);
    settings.remove = ReadStringList(section, "Remove", {}, false);
    if (section.Has("Replace"))
    {
      const Json& replace = section.Get("Replace");
      if (!replace.is_object())
      {
        throw ConfigurationError("configuration: '" + section.Name("Replace") +
                                 "' must be an object of tag → value, e.g. {\"InstitutionName\": \"Teaching\"}");
      }
      for (auto it = replace.begin(); it != replace.end(); ++it)
      {
        if (!it.value().is_string())
        {
          throw ConfigurationError("configuration: '" + section.Name("Replace") + "." + it.key() +
                                   "' must be a string");
        }
        if (it.key() == "PatientName" || it.key() == "0010,0010")
        {
          throw ConfigurationError("configuration: '" + section.Name("Replace") +
                                   ".PatientName' cannot be set: every copy gets its own pseudonym");
        }
        settings.replace.emplace_back(it.key(), it.value().get<std::string>());
      }
    }
    settings.dicomVersion = section.GetString("DicomVersion", settings.dicomVersion);
    if (!settings.dicomVersion.empty() && settings.dicomVersion != "2008" && settings.dicomVersion != "2017c" &&
        settings.dicomVersion != "2021b")
    {
      throw ConfigurationError("configuration: '" + section.Name("DicomVersion") +
                               "' must be one of 2008, 2017c, 2021b (the versions Orthanc 1.10 knows)");
    }
    settings.keepCopiesAfterShareEnds = section.GetBool("KeepCopiesAfterShareEnds", settings.keepCopiesAfterShareEnds);
    settings.burnedInModalities = ReadStringList(section, "BurnedInModalities", settings.burnedInModalities, true);
    settings.secondaryCaptureModalities =
      ReadStringList(section, "SecondaryCaptureModalities", settings.secondaryCaptureModalities, true);
    settings.copyMetadata = section.GetString("CopyMetadata", settings.copyMetadata);
    if (settings.copyMetadata.empty())
    {
      throw ConfigurationError("configuration: '" + section.Name("CopyMetadata") + "' must not be empty");
    }
    settings.pollMilliseconds = section.GetInteger("PollMilliseconds", settings.pollMilliseconds, 10, 60000);
    settings.cleanupIntervalSeconds =
      section.GetInteger("CleanupIntervalSeconds", settings.cleanupIntervalSeconds, 1, 86400);
    section.RejectUnknownKeys();
  }
}
