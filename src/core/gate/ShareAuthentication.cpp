// SPDX-License-Identifier: GPL-3.0-or-later
#include "ShareAuthentication.h"

namespace studyshare
{
  namespace
  {
    DecisionReason ReasonForState(ShareState state)
    {
      switch (state)
      {
        case ShareState::Revoked:
          return DecisionReason::ShareRevoked;
        case ShareState::Expired:
          return DecisionReason::ShareExpired;
        case ShareState::Exhausted:
          return DecisionReason::ShareExhausted;
        case ShareState::Active:
          break;
      }
      return DecisionReason::InternalError;
    }
  }

  ShareAuthentication AuthenticateShareToken(const TokenVerifier& verifier, IShareStore& store, std::string_view token,
                                             int64_t now)
  {
    ShareAuthentication result;
    result.check = verifier.Verify(token, TokenType::Share, now);
    if (result.check.status == TokenStatus::WrongType)
    {
      result.check = verifier.Verify(token, TokenType::Session, now);
    }
    if (!result.check.IsValid())
    {
      result.refusal = AccessDecision::Deny(DecisionReason::TokenRejected, ToString(result.check.status));
      return result;
    }
    result.isSession = result.check.claims.type == TokenType::Session;
    const std::string& shareId = result.isSession ? result.check.claims.shareId : result.check.claims.id;

    result.share = store.Lookup(shareId);
    if (!result.share)
    {
      result.refusal = AccessDecision::Deny(DecisionReason::ShareUnknown, "share " + shareId);
      return result;
    }
    const ShareState state = result.share->StateAt(now);
    // Use limits count opens: a session opened with the last use keeps working.
    if (state != ShareState::Active && !(result.isSession && state == ShareState::Exhausted))
    {
      result.refusal = AccessDecision::Deny(ReasonForState(state), "share " + shareId);
      return result;
    }
    // An inbox receives through the plugin's upload route, never reads.
    if (result.share->IsInbox())
    {
      result.refusal = AccessDecision::Deny(DecisionReason::InboxReadsNothing, "inbox " + shareId);
      return result;
    }
    // Its studies are empty until then; refused by name, not by accident.
    if (!result.share->IsPrepared())
    {
      result.refusal = AccessDecision::Deny(DecisionReason::SharePreparing, "share " + shareId);
      return result;
    }
    if (!result.isSession && !result.share->OpensDirectly())
    {
      result.refusal = AccessDecision::Deny(DecisionReason::ShareNeedsSession, "share " + shareId);
    }
    return result;
  }
}
