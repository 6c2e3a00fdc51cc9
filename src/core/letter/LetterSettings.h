// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>

namespace studyshare
{
  // StudyShare.Letter: who the printed access letter comes from. Read once at
  // start-up; the logo's bytes are kept so a moved or edited file cannot
  // change a letter later.
  struct LetterSettings
  {
    std::string hospitalName;  // the letter's heading; empty: no heading
    std::string contact;       // who to call, free text (line breaks kept)
    std::string logoFile;      // the PNG's path, for messages
    std::string logoPng;       // its bytes; empty: no logo
  };

  // True when `bytes` start like a PNG file (signature, then an IHDR chunk
  // of a non-empty image), which is all cairo and browsers need to decide.
  bool LooksLikePng(const std::string& bytes);
}
