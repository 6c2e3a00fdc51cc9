// SPDX-License-Identifier: GPL-3.0-or-later
// The "Letter" of the create answer: the access code is shown only then, so
// the letter that carries it is built then too.
#include "AccessLetter.h"
#include "MailTimeZone.h"
#include "ShareApi.h"

namespace studyshare
{
  nlohmann::json ShareApi::DescribeLetter(const Share& share, const std::vector<SharedStudy>& studies,
                                          const nlohmann::json& answer, const std::string& language) const
  {
    LetterFacts facts;
    facts.language = language;
    for (const SharedStudy& study : studies)
    {
      facts.studies.push_back({study.studyDate, study.studyDescription});
    }
    facts.linkIsShort = answer.contains("ShortUrl") && answer["ShortUrl"].is_string();
    facts.link = answer[facts.linkIsShort ? "ShortUrl" : "Url"].get<std::string>();
    if (answer.contains("AccessCode"))
    {
      facts.accessCode = answer["AccessCode"].get<std::string>();
      facts.codePageUrl = answer["CodePageUrl"].get<std::string>();
    }
    facts.passwordRequired = !share.passwordHash.empty();
    facts.birthDateRequired = share.requireBirthDate;
    facts.emailCodeRequired = share.requireEmailCode;
    facts.expiresAt = share.expiresAt;
    if (share.expiresAt)
    {
      // The same clock as the e-mails: the site's zone when one is configured.
      facts.timeZoneName = config_.email.timeZone;
      facts.utcOffsetSeconds = facts.timeZoneName.empty() ? ShareMailer::LocalUtcOffset(*share.expiresAt)
                                                          : UtcOffsetAt(facts.timeZoneName, *share.expiresAt);
    }
    return AccessLetter::Build(facts, config_.letter).ToJson();
  }
}
