// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ISmtpSender.h"
#include "LetterSettings.h"

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace studyshare
{
  struct EmailSettings
  {
    std::string templatesFolder;        // empty: the built-in templates only
    bool sendSecretsSeparately = true;  // access code never in the link's e-mail; password never e-mailed
    std::string defaultLanguage = "en";
    std::string senderName;  // names the sender when the user has no DisplayName; empty: the login
    std::string timeZone;    // IANA name the e-mails give times in; empty: the server's local time
    // Where "files received" e-mails of an inbox go when its creator has no Users.{name}.Email.
    std::string inboxNotifyAddress;
    int64_t inboxNotifyIntervalSeconds = 600;  // at most one such e-mail per inbox in this time
  };

  // Site policy for anonymized shares (StudyShare.Anonymization): the
  // de-identification Orthanc applies, and what stays after a share ends.
  struct AnonymizationSettings
  {
    std::vector<std::string> keep;                             // tags Orthanc keeps (names or gggg,eeee)
    std::vector<std::pair<std::string, std::string>> replace;  // tag → value (PatientName is always the pseudonym)
    std::vector<std::string> remove;                           // tags removed on top of the profile
    std::string dicomVersion;                                  // Orthanc's DicomVersion; empty: Orthanc's default
    bool keepCopiesAfterShareEnds = false;
    // Modalities whose pixels usually carry text: refused unless the sharer
    // accepts it (AllowBurnedInAnnotation).
    std::vector<std::string> burnedInModalities = {"US", "SC", "XC", "ES"};
    // Modalities refused when their instances are secondary captures.
    std::vector<std::string> secondaryCaptureModalities = {"DX", "CR"};
    std::string copyMetadata = "4511";    // the Orthanc user metadata marking a copy (index or name from UserMetadata)
    int64_t pollMilliseconds = 200;       // how often a running job is read
    int64_t cleanupIntervalSeconds = 60;  // how often ended shares' copies are looked for
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
    std::map<std::string, std::string> staffEmails;   // staff login → its own address (Users.{name}.Email)
    SmtpSettings smtp;                                // smtp.url empty: e-mail disabled
    EmailSettings email;
    AnonymizationSettings anonymization;
    LetterSettings letter;  // the printed access letter offered right after creation
  };
}
