// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ApiResponse.h"

#include <string>

namespace studyshare
{
  // Orthanc Explorer 2's `PUT /auth/tokens/inbox-link` made into an inbox
  // (`POST /studyshare/shares` with "Kind": "Inbox"). Its createToken sends
  // {"Resources": [], "Type": "inbox-link", "ValidityDuration": seconds} and
  // may add "ExpirationDate" and "Id". An inbox names no study, so Resources
  // must be empty; Id becomes the inbox's Note; the limits are the server's
  // defaults. Throws BadRequest.
  std::string ExplorerInboxRequest(const std::string& body);

  // The staff API's answer as Orthanc Explorer 2 reads it: {"Token", "Url"}
  // on success, the staff API's {"Error", "Message"} otherwise.
  ApiResponse ExplorerInboxAnswer(const ApiResponse& created);
}
