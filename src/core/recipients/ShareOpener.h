// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ApiResponse.h"
#include "EmailCodes.h"
#include "IShareStore.h"
#include "IStudyCatalog.h"
#include "IStudyLabels.h"
#include "OpenCounters.h"
#include "ShortLinkKeys.h"
#include "TokenSigner.h"
#include "TokenVerifier.h"

#include <functional>

namespace studyshare
{
  struct OpenSettings
  {
    std::string audience = "studyshare";
    int64_t sessionLifetime = 4 * 3600;
    int64_t maxFailedAttempts = 5;
    int64_t lockoutSeconds = 900;
    // Access-code guesses, counted in the store (every node): per client and
    // for all clients, over a sliding window.
    int64_t codeGuessWindowSeconds = 60;
    int64_t codeGuessesPerClient = 10;
    int64_t codeGuessesGlobal = 1000;
  };

  struct RecipientContext
  {
    std::string clientAddress;
    std::string userAgent;
  };

  // POST /share/api/open: a recipient presents a share token or an access
  // code, answers the share's challenges (an access code is one when the
  // share has it and was opened by its token), and gets a short-lived session
  // token. A tab that still holds a session presents it ("SessionToken",
  // alone or with the share's token) and gets it back without spending a use. Every attempt is an audit event; only
  // successful opens count toward MaxUses; answers are never logged or stored. Every attempt that may fail reserves its
  // place in the store's counters before it is checked, so limits hold exactly under parallel requests on any node.
  class ShareOpener
  {
  public:
    ShareOpener(OpenSettings settings, IShareStore& store, IStudyCatalog& catalog, const TokenVerifier& verifier,
                const TokenSigner& signer, std::function<int64_t()> clock, std::function<nlohmann::json()> viewers);

    ApiResponse Open(const std::string& body, const RecipientContext& context);

    const OpenCounters& Counters() const { return counters_; }

    // Where a share by label finds its studies; without it such a share cannot be opened.
    void SetStudyLabels(IStudyLabels* labels) { studyLabels_ = labels; }

    // Short links (optional): without them, {"Key"} opens nothing.
    void SetShortLinks(const ShortLinkKeys* keys) { shortLinks_ = keys; }

    // One-time e-mail codes (optional): `send` e-mails a code to the share's
    // recipient and says whether it went. Without them, a share that asks
    // for a code never opens.
    using EmailCodeSender = std::function<bool(const Share& share, const std::string& code)>;
    void SetEmailCodes(EmailCodes* codes, EmailCodeSender send)
    {
      emailCodes_ = codes;
      sendEmailCode_ = std::move(send);
    }

  private:
    struct Attempt;

    ApiResponse Decide(const std::string& body, const RecipientContext& context);

    std::optional<int64_t> ReserveGuess(const RecipientContext& context, int64_t now);
    ApiResponse OpenByShortKey(const Attempt& attempt, const RecipientContext& context, int64_t now);
    ApiResponse OpenShare(const Share& share, const Attempt& attempt, const RecipientContext& context, int64_t now);
    ApiResponse CheckChallenges(const Share& share, const Attempt& attempt, const RecipientContext& context,
                                int64_t now);
    // challenge-required for a share that asks an e-mailed code: sends one (within the hourly limit).
    ApiResponse AskEmailCode(const Share& share, const nlohmann::json& challenges, const RecipientContext& context,
                             int64_t now);
    ApiResponse Succeed(const Share& share, const RecipientContext& context, int64_t now);
    ApiResponse Resume(const std::string& sessionToken, const RecipientContext& context, int64_t now);
    ApiResponse ResumeShare(const Share& share, const std::string& sessionToken, int64_t sessionEnd,
                            const RecipientContext& context, int64_t now);
    ApiResponse RefuseLocked(const Share& share, const nlohmann::json& challenges, int64_t now);
    void Audit(const Share& share, const char* event, const std::string& outcome, const RecipientContext& context,
               int64_t now);

    const OpenSettings settings_;
    IShareStore& store_;
    IStudyCatalog& catalog_;
    const TokenVerifier& verifier_;
    const TokenSigner& signer_;
    std::function<int64_t()> clock_;
    std::function<nlohmann::json()> viewers_;
    OpenCounters counters_;
    const ShortLinkKeys* shortLinks_ = nullptr;
    IStudyLabels* studyLabels_ = nullptr;
    EmailCodes* emailCodes_ = nullptr;
    EmailCodeSender sendEmailCode_;
  };
}
