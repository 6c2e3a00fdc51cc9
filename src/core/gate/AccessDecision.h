// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>

namespace studyshare
{
  enum class Verdict
  {
    Allow,
    Deny,
    Error  // the gate could not decide (store, resolver...); refused by rule
  };

  enum class DecisionReason
  {
    PublicRoute,
    StaffAccess,
    ShareGrant,
    NoCredentials,
    BadStaffCredentials,
    StaffRateLimited,
    StaffBusy,
    StaffRoleForbids,
    CsrfCheckFailed,
    ConflictingTokens,
    TokenRejected,
    ShareUnknown,
    ShareRevoked,
    ShareExpired,
    ShareExhausted,
    ShareNeedsSession,
    SharePreparing,  // an anonymized share whose copies are not ready
    InboxReadsNothing,
    RouteNotShareable,
    AmbiguousRequest,
    PermissionMissing,
    ResourceNotGranted,
    ResourceNotFound,
    StoreUnavailable,
    ResolverUnavailable,
    RemoteRefused,
    RemoteUnavailable,
    InternalError
  };

  const char* ToString(Verdict verdict);
  const char* ToString(DecisionReason reason);

  // The gate's answer. Only Verdict::Allow lets a request through; Error is a
  // refusal by the explicit rule in Permits(), not by an accident of values.
  struct AccessDecision
  {
    Verdict verdict = Verdict::Error;
    DecisionReason reason = DecisionReason::InternalError;
    std::string detail;  // resource ids, route names; never a token or a secret

    static AccessDecision Allow(DecisionReason reason, std::string detail = "")
    {
      return {Verdict::Allow, reason, std::move(detail)};
    }
    static AccessDecision Deny(DecisionReason reason, std::string detail = "")
    {
      return {Verdict::Deny, reason, std::move(detail)};
    }
    static AccessDecision Fail(DecisionReason reason, std::string detail = "")
    {
      return {Verdict::Error, reason, std::move(detail)};
    }

    bool Permits() const { return verdict == Verdict::Allow; }
  };
}
