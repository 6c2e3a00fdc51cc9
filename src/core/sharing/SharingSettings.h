// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ISmtpSender.h"

#include <cstdint>
#include <map>
#include <string>

namespace studyshare
{
  struct EmailSettings
  {
    std::string templatesFolder;        // empty: the built-in templates only
    bool sendSecretsSeparately = true;  // access code never in the link's e-mail; password never e-mailed
    std::string defaultLanguage = "en";
    std::string senderName;  // names the sender when the user has no DisplayName; empty: the login
    std::string timeZone;    // IANA name the e-mails give times in; empty: the server's local time
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
    // What the CLI and the Share dialog propose; the REST API keeps "absent means never".
    int64_t defaultValidityDuration = 30LL * 24 * 3600;
    // A share whose challenges were failed this many times within lockoutSeconds is locked.
    int64_t maxFailedAttempts = 5;
    int64_t lockoutSeconds = 900;
    std::map<std::string, std::string> displayNames;  // staff login → the name e-mails give
    SmtpSettings smtp;                                // smtp.url empty: e-mail disabled
    EmailSettings email;
  };
}
