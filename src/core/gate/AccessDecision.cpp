// SPDX-License-Identifier: GPL-3.0-or-later
#include "AccessDecision.h"

namespace studyshare
{
  const char* ToString(Verdict verdict)
  {
    switch (verdict)
    {
      case Verdict::Allow:
        return "allow";
      case Verdict::Deny:
        return "deny";
      case Verdict::Error:
        return "error";
    }
    return "error";
  }

  const char* ToString(DecisionReason reason)
  {
    switch (reason)
    {
      case DecisionReason::PublicRoute:
        return "public-route";
      case DecisionReason::StaffAccess:
        return "staff";
      case DecisionReason::ShareGrant:
        return "share-grant";
      case DecisionReason::NoCredentials:
        return "no-credentials";
      case DecisionReason::BadStaffCredentials:
        return "bad-staff-credentials";
      case DecisionReason::StaffRateLimited:
        return "staff-rate-limited";
      case DecisionReason::StaffBusy:
        return "staff-busy";
      case DecisionReason::StaffRoleForbids:
        return "staff-role-forbids";
      case DecisionReason::CsrfCheckFailed:
        return "csrf-check-failed";
      case DecisionReason::ConflictingTokens:
        return "conflicting-tokens";
      case DecisionReason::TokenRejected:
        return "token-rejected";
      case DecisionReason::ShareUnknown:
        return "share-unknown";
      case DecisionReason::ShareRevoked:
        return "share-revoked";
      case DecisionReason::ShareExpired:
        return "share-expired";
      case DecisionReason::ShareExhausted:
        return "share-exhausted";
      case DecisionReason::ShareNeedsSession:
        return "share-needs-session";
      case DecisionReason::SharePreparing:
        return "share-preparing";
      case DecisionReason::InboxReadsNothing:
        return "inbox-reads-nothing";
      case DecisionReason::RouteNotShareable:
        return "route-not-shareable";
      case DecisionReason::AmbiguousRequest:
        return "ambiguous-request";
      case DecisionReason::PermissionMissing:
        return "permission-missing";
      case DecisionReason::ResourceNotGranted:
        return "resource-not-granted";
      case DecisionReason::ResourceNotFound:
        return "resource-not-found";
      case DecisionReason::StoreUnavailable:
        return "store-unavailable";
      case DecisionReason::ResolverUnavailable:
        return "resolver-unavailable";
      case DecisionReason::RemoteRefused:
        return "token-service-refused";
      case DecisionReason::RemoteUnavailable:
        return "token-service-unavailable";
      case DecisionReason::InternalError:
        return "internal-error";
    }
    return "internal-error";
  }
}
