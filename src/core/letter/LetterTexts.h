// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>

namespace studyshare
{
  // The sentences of the access letter in one language; {address} and {date}
  // are filled by AccessLetter::Build.
  struct LetterTexts
  {
    const char* title;
    const char* intro;
    const char* studyHeading;
    const char* noDescription;
    const char* openHeading;
    const char* qr;
    const char* type;
    const char* code;
    const char* codePage;
    const char* birthDate;
    const char* password;
    const char* emailCode;
    const char* validUntil;
    const char* neverExpires;
    const char* contactHeading;
    const char* privacy;
  };

  // en, fr, de or es; English for any other language.
  const LetterTexts& LetterTextsFor(const std::string& language);
}
