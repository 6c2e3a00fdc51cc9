// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "InboxRecords.h"

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace studyshare
{
  // A share request that cannot be honoured; the message is for staff.
  class BadRequest : public std::runtime_error
  {
  public:
    using std::runtime_error::runtime_error;
  };

  struct RequestedStudy
  {
    std::optional<std::string> orthancId;
    std::optional<std::string> dicomUid;
  };

  struct ShareRequestLimits
  {
    int64_t now = 0;
    int64_t maxValidityDuration = 0;
    bool allowNeverExpiring = true;
    size_t maxStudies = 20;
  };

  // The body of POST /studyshare/shares, checked field by field. Unknown
  // fields and wrong types are errors: a typo must not silently drop a
  // protection the sender asked for.
  struct ShareRequest
  {
    std::vector<RequestedStudy> studies;
    // {"Level": "Label", "Label": "..."}: a share of the studies carrying the
    // label at each request; then `studies` is empty.
    std::optional<std::string> label;
    std::optional<int64_t> expiresAt;  // absent: never expires
    unsigned permissions = 0;
    std::optional<int64_t> maxUses;
    std::string password;
    bool requireBirthDate = false;
    bool requireEmailCode = false;  // needs Recipient.Email (and SMTP, checked by the API)
    bool accessCode = false;
    bool anonymize = false;                // share de-identified copies, never the originals
    bool allowBurnedInAnnotation = false;  // the sharer was warned that text in pixels stays
    std::string viewer;
    std::string recipientJson;
    std::string recipientEmail;     // Recipient.Email, checked: one plain address
    std::string recipientName;      // Recipient.Name
    std::string recipientLanguage;  // Recipient.Language, normalized (en, fr, de, es) or empty
    std::optional<bool> sendEmail;  // SendEmail; absent: send when Recipient.Email is given
    std::string note;
    ShareKind kind = ShareKind::Share;
    InboxLimits inboxLimits;  // for an inbox: what it may receive

    static ShareRequest Parse(const std::string& body, const ShareRequestLimits& limits);  // throws BadRequest
  };
}
