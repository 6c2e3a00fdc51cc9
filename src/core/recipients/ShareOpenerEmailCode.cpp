// SPDX-License-Identifier: GPL-3.0-or-later
// ShareOpener: asking for the one-time code e-mailed to the share's recipient.
#include "ShareOpener.h"

namespace studyshare
{
  namespace
  {
    std::string RecipientEmail(const Share& share)
    {
      const nlohmann::json recipient = nlohmann::json::parse(share.recipientJson, nullptr, false);
      return recipient.is_object() && recipient.contains("Email") && recipient["Email"].is_string()
               ? recipient["Email"].get<std::string>()
               : std::string();
    }
  }

  // The code is never logged nor stored (only its digest, in EmailCodes);
  // the audit says whether one was sent, failed, or was held back by the
  // hourly limit.
  ApiResponse ShareOpener::AskEmailCode(const Share& share, const nlohmann::json& challenges,
                                        const RecipientContext& context, int64_t now)
  {
    nlohmann::json body = {{"Error", "challenge-required"},
                           {"Message", "this share asks for more information"},
                           {"Challenges", challenges},
                           {"EmailAddress", MaskEmailAddress(RecipientEmail(share))}};
    const std::optional<std::string> code = emailCodes_ ? emailCodes_->Issue(share.id, now) : std::nullopt;
    if (!code)
    {
      Audit(share, "email-code", emailCodes_ ? "limited" : "failure", context, now);
      body["EmailCodeSent"] = false;
      if (emailCodes_)
      {
        body["EmailCodeRetryAfter"] = std::max<int64_t>(1, emailCodes_->NextSendAt(share.id, now) - now);
      }
      return {401, body};
    }
    const bool sent = sendEmailCode_ && sendEmailCode_(share, *code);
    Audit(share, "email-code", sent ? "sent" : "failure", context, now);
    body["EmailCodeSent"] = sent;
    return {401, body};
  }
}
