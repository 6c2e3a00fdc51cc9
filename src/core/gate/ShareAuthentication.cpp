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
                                             int64_t now, VerifiedTokenCache* verified)
  {
    ShareAuthentication result;
    std::optional<crypto::Sha256Digest> key;
    if (verified != nullptr && token.size() <= verifier.GetPolicy().maxTokenBytes)
    {
      key = crypto::Sha256Of(token);
      result.claims = verified->Find(*key, now);
    }
    if (result.claims)
    {
      result.tokenStatus = TokenStatus::Valid;
    }
    else
    {
      TokenCheck check = verifier.Verify(token, TokenType::Share, now);
      if (check.status == TokenStatus::WrongType)
      {
        check = verifier.Verify(token, TokenType::Session, now);
      }
      result.tokenStatus = check.status;
      if (!check.IsValid())
      {
        result.refusal = AccessDecision::Deny(DecisionReason::TokenRejected, ToString(check.status));
        return result;
      }
      result.claims = std::make_shared<const TokenClaims>(std::move(check.claims));
      if (key)
      {
        verified->Remember(*key, result.claims, now);
      }
    }
    result.isSession = result.claims->type == TokenType::Session;
    const std::string& shareId = result.isSession ? result.claims->shareId : result.claims->id;

    result.share = store.LookupShared(shareId);
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
