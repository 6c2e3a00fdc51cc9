// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ISmtpSender.h"

#include <cstdint>
#include <string>

namespace studyshare
{
  struct EmailSettings
  {
    std::string templatesFolder;        // empty: the built-in templates only
    bool sendSecretsSeparately = true;  // access code never in the link's e-mail; password never e-mailed
    std::string defaultLanguage = "en";
  };

  // What creating, describing and e-mailing shares depends on in the site's
  // configuration. The configuration domain fills it (it is a base of
  // StudyShareConfig); the sharing domain only reads it.
  struct SharingSettings
  {
    std::string publicUrl;
    std::string audience = "studyshare";
    int64_t maxValidityDuration = 365LL * 24 * 3600;
    bool allowNeverExpiring = true;
    int64_t maxShareStudies = 20;
    SmtpSettings smtp;  // smtp.url empty: e-mail disabled
    EmailSettings email;
  };
}
