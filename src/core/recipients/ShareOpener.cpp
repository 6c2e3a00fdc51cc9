// SPDX-License-Identifier: GPL-3.0-or-later
#include "ShareOpener.h"

#include "AccessCode.h"
#include "Crypto.h"
#include "IsoTime.h"
#include "LockoutClock.h"
#include "OpenAnswer.h"
#include "PasswordHasher.h"
#include "Utf8Text.h"

namespace studyshare
{
  namespace
  {
    using Json = nlohmann::json;

    constexpr size_t kMaxBodyBytes = 16 * 1024;

    ApiResponse Refuse(int status, const char* code, const std::string& message, Json challenges = nullptr)
    {
      Json body = {{"Error", code}, {"Message", message}};
      if (!challenges.is_null())
      {
        body["Challenges"] = challenges;
      }
      return {status, body};
    }

    ApiResponse RefuseTooManyGuesses()
    {
      // 503 rather than 429: Orthanc 1.10's SDK refuses to send a 429.
      return Refuse(503, "rate-limited", "too many attempts; try again in a minute");
    }

    // "YYYYMMDD" or "YYYY-MM-DD" → "YYYYMMDD"; empty when malformed.
    std::string NormalizeBirthDate(const std::string& typed)
    {
      std::string digits;
      for (char c : typed)
      {
        if (c >= '0' && c <= '9')
        {
          digits.push_back(c);
        }
        else if (c != '-')
        {
          return "";
        }
      }
      const bool dashed = typed.size() == 10 && typed[4] == '-' && typed[7] == '-';
      return digits.size() == 8 && (typed.size() == 8 || dashed) ? digits : "";
    }

    std::optional<std::string> ReadOptionalString(const Json& body, const char* field)
    {
      if (!body.contains(field) || body[field].is_null())
      {
        return std::nullopt;
      }
      if (!body[field].is_string())
      {
        throw std::invalid_argument(std::string("'") + field + "' must be a string");
      }
      return body[field].get<std::string>();
    }
  }

  struct ShareOpener::Attempt
  {
    std::optional<std::string> token;
    std::optional<std::string> accessCode;
    std::optional<std::string> key;        // a short link's key
    std::optional<std::string> emailCode;  // the one-time code e-mailed to the recipient
    std::optional<std::string> password;
    std::optional<std::string> birthDate;
    std::optional<std::string> sessionToken;  // this tab's session, presented instead of spending a use
    bool codeVerified = false;                // the share was found by its access code
  };

  ShareOpener::ShareOpener(OpenSettings settings, IShareStore& store, IStudyCatalog& catalog,
                           const TokenVerifier& verifier, const TokenSigner& signer, std::function<int64_t()> clock,
                           std::function<nlohmann::json()> viewers)
    : settings_(std::move(settings)), store_(store), catalog_(catalog), verifier_(verifier), signer_(signer),
      clock_(std::move(clock)), viewers_(std::move(viewers))
  {
  }

  void ShareOpener::Audit(const Share& share, const char* event, const std::string& outcome,
                          const RecipientContext& context, int64_t now)
  {
    store_.AppendAudit(
      {share.id, now, event, outcome, "", ToValidUtf8(context.clientAddress, 64), ToValidUtf8(context.userAgent, 512)});
  }

  ApiResponse ShareOpener::Open(const std::string& body, const RecipientContext& context)
  {
    try
    {
      const ApiResponse answer = Decide(body, context);
      counters_.CountOpen(answer);
      return answer;
    }
    catch (const StoreUnavailable&)
    {
      counters_.CountStoreError();
      throw;
    }
  }

  ApiResponse ShareOpener::Decide(const std::string& body, const RecipientContext& context)
  {
    const int64_t now = clock_();
    Attempt attempt;
    if (body.empty() || body.size() > kMaxBodyBytes)
    {
      return Refuse(400, "bad-request", "the request body must be a JSON object of at most 16 KiB");
    }
    const Json json = Json::parse(body, nullptr, false);
    if (json.is_discarded() || !json.is_object())
    {
      return Refuse(400, "bad-request", "the request body is not a JSON object");
    }
    try
    {
      for (auto it = json.begin(); it != json.end(); ++it)
      {
        if (it.key() != "Token" && it.key() != "AccessCode" && it.key() != "Password" && it.key() != "BirthDate" &&
            it.key() != "SessionToken" && it.key() != "Key" && it.key() != "EmailCode")
        {
          throw std::invalid_argument("unknown field '" + it.key() + "'");
        }
      }
      attempt.token = ReadOptionalString(json, "Token");
      attempt.accessCode = ReadOptionalString(json, "AccessCode");
      attempt.password = ReadOptionalString(json, "Password");
      attempt.birthDate = ReadOptionalString(json, "BirthDate");
      attempt.sessionToken = ReadOptionalString(json, "SessionToken");
      attempt.key = ReadOptionalString(json, "Key");
      attempt.emailCode = ReadOptionalString(json, "EmailCode");
    }
    catch (const std::invalid_argument& e)
    {
      return Refuse(400, "bad-request", e.what());
    }
    if (attempt.key && !attempt.token)
    {
      return OpenByShortKey(attempt, context, now);
    }
    if (!attempt.token && !attempt.accessCode)
    {
      if (attempt.sessionToken)
      {
        return Resume(*attempt.sessionToken, context, now);
      }
      return Refuse(400, "bad-request",
                    "give 'Token' or 'Key' (with 'AccessCode' when the share asks for it) or 'AccessCode'");
    }

    if (attempt.token)
    {
      const TokenCheck check = verifier_.Verify(*attempt.token, TokenType::Share, now);
      if (check.status == TokenStatus::Expired)
      {
        return Refuse(410, "expired", "this link has expired");
      }
      if (!check.IsValid())
      {
        return Refuse(404, "invalid", "this link is not valid or is incomplete");
      }
      const std::optional<Share> share = store_.Lookup(check.claims.id);
      if (!share)
      {
        return Refuse(404, "invalid", "this link is not valid or is incomplete");
      }
      return OpenShare(*share, attempt, context, now);
    }

    const std::optional<int64_t> guess = ReserveGuess(context, now);
    if (!guess)
    {
      return RefuseTooManyGuesses();
    }
    const auto normalized = AccessCode::Normalize(*attempt.accessCode);
    const std::optional<Share> share =
      normalized ? store_.FindByAccessCode(AccessCode::Digest(*normalized)) : std::nullopt;
    if (!share)
    {
      counters_.CountWrongAccessCode();
      return Refuse(404, "invalid", "this access code is not valid");  // the reservation stays: a failed guess
    }
    store_.ReleaseCodeGuess(*guess);
    attempt.codeVerified = true;
    return OpenShare(*share, attempt, context, now);
  }

  // Every guessed secret (access code, short-link key) is reserved in the
  // store's per-client and global windows before it is looked up.
  std::optional<int64_t> ShareOpener::ReserveGuess(const RecipientContext& context, int64_t now)
  {
    IShareStore::CodeGuessLimits limits;
    limits.since = now - settings_.codeGuessWindowSeconds + 1;
    limits.perClient = settings_.codeGuessesPerClient;
    limits.global = settings_.codeGuessesGlobal;
    return store_.ReserveCodeGuess(context.clientAddress, now, limits);
  }

  // A short link's key is guessed like an access code, so it is limited the
  // same way (the same counters); with it, the share asks every challenge it
  // asks with its token (its access code too).
  ApiResponse ShareOpener::OpenByShortKey(const Attempt& attempt, const RecipientContext& context, int64_t now)
  {
    const std::optional<int64_t> guess = ReserveGuess(context, now);
    if (!guess)
    {
      return RefuseTooManyGuesses();
    }
    const std::optional<Share> share = shortLinks_ && ShortLinkKeys::IsWellFormed(*attempt.key)
                                         ? store_.FindByShortKey(shortLinks_->Digest(*attempt.key))
                                         : std::nullopt;
    if (!share)
    {
      return Refuse(404, "invalid", "this link is not valid or is incomplete");  // the reservation stays
    }
    store_.ReleaseCodeGuess(*guess);
    return OpenShare(*share, attempt, context, now);
  }

  ApiResponse ShareOpener::OpenShare(const Share& share, const Attempt& attempt, const RecipientContext& context,
                                     int64_t now)
  {
    // The same tab opening the link again while its session lasts gets that
    // session back: no use is spent, and nothing is gained that the session
    // did not already give (same token, same end).
    if (attempt.sessionToken)
    {
      const TokenCheck session = verifier_.Verify(*attempt.sessionToken, TokenType::Session, now);
      if (session.IsValid() && session.claims.shareId == share.id)
      {
        return ResumeShare(share, *attempt.sessionToken, session.claims.expiresAt, context, now);
      }
    }
    switch (share.StateAt(now))
    {
      case ShareState::Revoked:
        Audit(share, "open", "revoked", context, now);
        return Refuse(410, "revoked", "this share has been withdrawn by the sender");
      case ShareState::Expired:
        Audit(share, "open", "expired", context, now);
        return Refuse(410, "expired", "this link has expired");
      case ShareState::Exhausted:
        Audit(share, "open", "exhausted", context, now);
        return Refuse(410, "exhausted", "this link has been used as many times as allowed");
      case ShareState::Active:
        break;
    }

    if (!share.IsPrepared())
    {
      if (share.anonymization.state == AnonymizationState::Failed)
      {
        Audit(share, "open", "unavailable", context, now);
        return Refuse(409, "unavailable", "this study could not be prepared; ask the sender to share it again");
      }
      return Refuse(409, "preparing", "this study is being prepared for you; this page will open it when it is ready");
    }

    const ApiResponse challenged = CheckChallenges(share, attempt, context, now);
    if (challenged.status != 200)
    {
      return challenged;
    }
    // Every successful open counts (staff read Uses); only a limit can refuse.
    if (!store_.ConsumeUse(share.id))
    {
      Audit(share, "open", "exhausted", context, now);
      return Refuse(410, "exhausted", "this link has been used as many times as allowed");
    }
    return Succeed(share, context, now);
  }

  // 200 (with no body) when every challenge of the share is answered.
  ApiResponse ShareOpener::CheckChallenges(const Share& share, const Attempt& attempt, const RecipientContext& context,
                                           int64_t now)
  {
    Json challenges = Json::array();
    const bool asksCode = !share.accessCodeHash.empty() && !attempt.codeVerified;
    if (asksCode)
    {
      challenges.push_back("AccessCode");
    }
    if (!share.passwordHash.empty())
    {
      challenges.push_back("Password");
    }
    if (share.requireBirthDate)
    {
      challenges.push_back("BirthDate");
    }
    if (share.requireEmailCode)
    {
      challenges.push_back("EmailCode");
    }
    if (challenges.empty())
    {
      return {200, nullptr};
    }
    const int64_t since = now - settings_.lockoutSeconds;
    if (store_.CountFailedAttempts(share.id, since) >= settings_.maxFailedAttempts)
    {
      Audit(share, "open", "locked", context, now);
      return RefuseLocked(share, challenges, now);
    }
    const bool missing = (asksCode && !attempt.accessCode) || (!share.passwordHash.empty() && !attempt.password) ||
                         (share.requireBirthDate && !attempt.birthDate) ||
                         (share.requireEmailCode && !attempt.emailCode);
    if (missing)
    {
      Audit(share, "open", "challenge-required", context, now);
      if (share.requireEmailCode && !attempt.emailCode)
      {
        return AskEmailCode(share, challenges, context, now);
      }
      return Refuse(401, "challenge-required", "this share asks for more information", challenges);
    }
    // The attempt takes its place among the failures before the slow hash,
    // so no more than MaxFailedAttempts answers are ever checked per window.
    const std::optional<int64_t> reservation =
      store_.ReserveFailedAttempt(share.id, context.clientAddress, now, since, settings_.maxFailedAttempts);
    if (!reservation)
    {
      Audit(share, "open", "locked", context, now);
      return RefuseLocked(share, challenges, now);
    }
    bool correct = true;
    if (asksCode)
    {
      const auto typed = AccessCode::Normalize(*attempt.accessCode);
      if (!typed || !crypto::ConstantTimeEquals(AccessCode::Digest(*typed), share.accessCodeHash))
      {
        correct = false;
      }
    }
    if (!share.passwordHash.empty() && !PasswordHasher::Verify(share.passwordHash, *attempt.password))
    {
      correct = false;
    }
    if (share.requireBirthDate)
    {
      // Every study's patient must have the date typed (shares are made of
      // one patient; one stored before that rule opens nothing on a mismatch).
      const std::string typed = NormalizeBirthDate(*attempt.birthDate);
      for (const SharedStudy& shared : share.studies)
      {
        const std::optional<CatalogStudy> study = catalog_.FindByOrthancId(shared.orthancId);
        if (!study || study->patientBirthDate.size() != 8 || typed.empty() ||
            !crypto::ConstantTimeEquals(typed, study->patientBirthDate))
        {
          correct = false;
        }
      }
    }
    if (share.requireEmailCode && !(emailCodes_ && emailCodes_->Matches(share.id, *attempt.emailCode, now)))
    {
      correct = false;
    }
    if (correct)
    {
      store_.ReleaseFailedAttempt(*reservation);
      if (share.requireEmailCode && emailCodes_)
      {
        emailCodes_->Forget(share.id);  // one-time: the codes sent end with this open
      }
      return {200, nullptr};
    }
    Audit(share, "challenge-failed", "challenge-failed", context, now);
    if (store_.CountFailedAttempts(share.id, since) >= settings_.maxFailedAttempts)
    {
      Audit(share, "lockout", "locked", context, now);
      counters_.CountLockout();
      return RefuseLocked(share, challenges, now);
    }
    return Refuse(401, "challenge-failed", "the answer is not correct", challenges);
  }

  ApiResponse ShareOpener::Succeed(const Share& share, const RecipientContext& context, int64_t now)
  {
    TokenClaims claims;
    claims.type = TokenType::Session;
    claims.id = crypto::RandomId(16);
    claims.shareId = share.id;
    claims.audience = settings_.audience;
    claims.issuedAt = now;
    claims.notBefore = now;
    claims.expiresAt = now + settings_.sessionLifetime;
    if (share.expiresAt && *share.expiresAt < claims.expiresAt)
    {
      claims.expiresAt = *share.expiresAt;
    }

    Audit(share, "open", "success", context, now);
    return {200, BuildOpenAnswer(share, catalog_, studyLabels_, signer_.Issue(claims), claims.expiresAt,
                                 viewers_ ? viewers_() : Json::object())};
  }

  // {"SessionToken"} alone: a reloaded tab shows its share again.
  ApiResponse ShareOpener::Resume(const std::string& sessionToken, const RecipientContext& context, int64_t now)
  {
    const TokenCheck session = verifier_.Verify(sessionToken, TokenType::Session, now);
    const std::optional<Share> share = session.IsValid() ? store_.Lookup(session.claims.shareId) : std::nullopt;
    if (!share)
    {
      return Refuse(401, "invalid", "this viewing session has ended; open the link again");
    }
    return ResumeShare(*share, sessionToken, session.claims.expiresAt, context, now);
  }

  // A session outlives neither its share's revocation nor its expiry, but
  // does outlive the share's last use: that use is the one it spent.
  ApiResponse ShareOpener::ResumeShare(const Share& share, const std::string& sessionToken, int64_t sessionEnd,
                                       const RecipientContext& context, int64_t now)
  {
    switch (share.StateAt(now))
    {
      case ShareState::Revoked:
        Audit(share, "resume", "revoked", context, now);
        return Refuse(410, "revoked", "this share has been withdrawn by the sender");
      case ShareState::Expired:
        Audit(share, "resume", "expired", context, now);
        return Refuse(410, "expired", "this link has expired");
      case ShareState::Exhausted:
      case ShareState::Active:
        break;
    }
    Audit(share, "resume", "success", context, now);
    return {200, BuildOpenAnswer(share, catalog_, studyLabels_, sessionToken, sessionEnd,
                                 viewers_ ? viewers_() : Json::object())};
  }

  ApiResponse ShareOpener::RefuseLocked(const Share& share, const Json& challenges, int64_t now)
  {
    const int64_t until = LockedUntil(store_, share.id, now, settings_.lockoutSeconds, settings_.maxFailedAttempts);
    ApiResponse answer = Refuse(423, "locked", "too many failed attempts; try again later", challenges);
    answer.body["LockedUntil"] = FormatIsoTime(until);
    answer.body["RetryAfter"] = std::max<int64_t>(1, until - now);
    return answer;
  }
}
