// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "LetterSettings.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace studyshare
{
  // What a share's letter speaks of, known right after the share is created
  // (the access code is shown only then).
  struct LetterFacts
  {
    struct Study
    {
      std::string date;  // DICOM YYYYMMDD, or empty
      std::string description;
    };

    std::string language;  // en, fr, de or es (others fall back to en)
    std::vector<Study> studies;
    std::string link;          // what the QR code holds: the short link, else the full link
    bool linkIsShort = false;  // a short link can be typed; the full one cannot
    std::string accessCode;    // empty: no code
    std::string codePageUrl;   // where a code is typed without the link
    bool passwordRequired = false;
    bool birthDateRequired = false;
    bool emailCodeRequired = false;
    std::optional<int64_t> expiresAt;
    int64_t utcOffsetSeconds = 0;  // of the zone the expiry is given in, at that date
    std::string timeZoneName;      // e.g. Europe/Paris; empty: only the offset is named
  };

  // The letter, every sentence already in its language: the Share dialog's
  // page and the CLI's PDF lay out these same texts, so both say the same.
  struct AccessLetter
  {
    std::string language;
    std::string hospitalName;
    bool hasLogo = false;
    std::string title;
    std::string intro;
    std::string studyHeading;
    std::vector<std::string> studies;  // one line per study: date and description
    std::string openHeading;
    std::string qrText;
    std::string qrLink;
    std::string typeText;   // empty with no short link
    std::string typedLink;  // empty with no short link
    std::string codeText;   // empty with no access code
    std::string accessCode;
    std::string codePageText;         // empty with no access code
    std::vector<std::string> checks;  // the other questions the recipient will be asked
    std::string validity;
    std::string contactHeading;  // empty with no contact
    std::string contact;
    std::string privacy;

    static AccessLetter Build(const LetterFacts& facts, const LetterSettings& settings);

    // The "Letter" object of the create answer, and back (the CLI reads it);
    // FromJson throws std::invalid_argument on a malformed object.
    nlohmann::json ToJson() const;
    static AccessLetter FromJson(const nlohmann::json& value);
  };
}
