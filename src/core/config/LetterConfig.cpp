// SPDX-License-Identifier: GPL-3.0-or-later
// StudyShare.Letter: who the printed access letter comes from.
#include "ConfigSection.h"

#include "LetterSettings.h"

namespace studyshare::config
{
  namespace
  {
    // A letterhead logo, not a photograph: a bigger file is most likely a mistake.
    const size_t kMaxLogoBytes = 1024 * 1024;
    const size_t kMaxTextBytes = 1000;

    std::string ReadText(Section& section, const std::string& key)
    {
      const std::string text = Trim(section.GetString(key, ""));
      if (text.size() > kMaxTextBytes)
      {
        throw ConfigurationError("configuration: '" + section.Name(key) + "' is longer than " +
                                 std::to_string(kMaxTextBytes) + " bytes");
      }
      return text;
    }
  }

  void ParseLetter(Section& parent, StudyShareConfig& config)
  {
    if (!parent.Has("Letter"))
    {
      return;
    }
    Section section(parent.Get("Letter"), "StudyShare.Letter");
    LetterSettings& letter = config.letter;
    letter.hospitalName = ReadText(section, "HospitalName");
    letter.contact = ReadText(section, "Contact");
    letter.logoFile = Trim(section.GetString("LogoFile", ""));
    section.RejectUnknownKeys();
    if (letter.logoFile.empty())
    {
      return;
    }
    letter.logoPng = ReadConfiguredFile(letter.logoFile, section.Name("LogoFile"));
    if (letter.logoPng.size() > kMaxLogoBytes)
    {
      throw ConfigurationError("configuration: '" + section.Name("LogoFile") +
                               "' is larger than 1 MiB: " + letter.logoFile);
    }
    if (!LooksLikePng(letter.logoPng))
    {
      throw ConfigurationError("configuration: '" + section.Name("LogoFile") +
                               "' is not a PNG image: " + letter.logoFile);
    }
  }
}
