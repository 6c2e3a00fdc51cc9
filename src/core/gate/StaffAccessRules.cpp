// SPDX-License-Identifier: GPL-3.0-or-later
#include "StaffAccessRules.h"

#include "RequestGrammar.h"
#include "TextUtilities.h"

namespace studyshare
{
  namespace
  {
    // Reads that sharers may send as POST (Orthanc Explorer searches this way).
    const char* const kSharerPostReads[] = {"/tools/find", "/tools/lookup"};

    bool IsShareApi(const std::string& uri)
    {
      return uri == "/studyshare/shares" || StartsWith(uri, "/studyshare/shares/") ||
             StartsWith(uri, "/studyshare/api/");
    }
  }

  AccessDecision DecideForStaff(const StaffUser& user, HttpMethod method, const std::string& uri)
  {
    if (user.role == StaffRole::Admin)
    {
      return AccessDecision::Allow(DecisionReason::StaffAccess, user.name);
    }
    if (!RequestGrammar::SplitPath(uri))
    {
      return AccessDecision::Deny(DecisionReason::StaffRoleForbids, "unreadable path");
    }
    if (method == HttpMethod::Get && !StartsWith(uri, "/webdav"))
    {
      return AccessDecision::Allow(DecisionReason::StaffAccess, user.name);
    }
    if (IsShareApi(uri) && (method == HttpMethod::Post || method == HttpMethod::Delete))
    {
      return AccessDecision::Allow(DecisionReason::StaffAccess, user.name);
    }
    // Orthanc Explorer 2's Share button creates tokens here.
    if (method == HttpMethod::Put && StartsWith(uri, "/auth/tokens/"))
    {
      return AccessDecision::Allow(DecisionReason::StaffAccess, user.name);
    }
    if (method == HttpMethod::Post)
    {
      for (const char* read : kSharerPostReads)
      {
        if (uri == read)
        {
          return AccessDecision::Allow(DecisionReason::StaffAccess, user.name);
        }
      }
    }
    return AccessDecision::Deny(DecisionReason::StaffRoleForbids,
                                user.name + " (sharer) " + ToString(method) + " " + uri);
  }
}
