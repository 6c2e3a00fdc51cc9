// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <string>

namespace studyshare
{
  // One line of a share's audit trail. Never holds a token or a secret.
  struct AuditEvent
  {
    std::string shareId;
    int64_t at = 0;
    std::string event;    // create, revoke, open, challenge-failed, lockout, download...
    std::string outcome;  // success, or a reason code
    std::string actor;    // staff user name, or empty for recipients
    std::string clientAddress;
    std::string userAgent;
  };
}
