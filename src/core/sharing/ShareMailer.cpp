// SPDX-License-Identifier: GPL-3.0-or-later
#include "ShareMailer.h"

#include "MailTimeZone.h"

#include <ctime>

namespace studyshare
{
  ShareMailer::ShareMailer(const SharingSettings& config, MailTemplates templates, ISmtpSender& sender,
                           std::function<int64_t()> clock)
    : config_(config), templates_(std::move(templates)), sender_(sender), clock_(std::move(clock))
  {
  }

  int64_t ShareMailer::LocalUtcOffset(int64_t at)
  {
    const time_t t = static_cast<time_t>(at);
    struct tm local = {};
    localtime_r(&t, &local);
    return local.tm_gmtoff;
  }

  SentMail ShareMailer::SendOne(MailKind kind, const ShareMail& mail, const std::string& language,
                                const MailValues& values) const
  {
    SentMail result;
    result.content = kind == MailKind::Link ? "link" : "access-code";
    try
    {
      const MailTemplate rendered = templates_.Render(kind, language, values);
      MailMessage message;
      message.from = {config_.smtp.fromName, config_.smtp.fromAddress};
      message.to = {mail.recipientName, mail.to};
      message.subject = rendered.subject;
      message.textBody = rendered.text;
      message.htmlBody = rendered.html;
      message.language = language;
      message.date = clock_();
      message.messageId = MailMessage::NewMessageId(config_.smtp.fromAddress);
      const std::string built = message.Build();
      sender_.Send(config_.smtp.fromAddress, {mail.to}, built);
      result.sent = true;
      result.messageId = "<" + message.messageId + ">";
    }
    catch (const SmtpError& e)
    {
      result.error = e.what();
    }
    catch (const std::invalid_argument& e)  // MailError, template errors
    {
      result.error = std::string("the e-mail cannot be composed: ") + e.what();
    }
    if (!result.sent && warn_)
    {
      warn_("StudyShare: the " + result.content + " e-mail of share " + mail.shareId + " to " + mail.to +
            " was not sent: " + result.error);
    }
    return result;
  }

  ShareMailReport ShareMailer::Send(const ShareMail& mail) const
  {
    ShareMailReport report;
    report.to = mail.to;
    report.language = mail.language.empty() ? config_.email.defaultLanguage : mail.language;
    const bool separately = config_.email.sendSecretsSeparately;

    MailValues values;
    values["Link"] = mail.link;
    values["CodePageUrl"] = config_.publicUrl + "/share/";
    values["SenderName"] = mail.senderName;
    values["RecipientName"] = mail.recipientName;
    values["Note"] = mail.note;
    values["BirthDateRequired"] = mail.birthDateRequired ? "yes" : "";
    if (mail.expiresAt)
    {
      // The site's zone, named in the text, so the recipient knows whose clock it is.
      const std::string& zone = config_.email.timeZone;
      values["ExpirationDate"] =
        zone.empty() ? FormatMailDate(*mail.expiresAt, report.language, LocalUtcOffset(*mail.expiresAt))
                     : FormatMailDate(*mail.expiresAt, report.language, UtcOffsetAt(zone, *mail.expiresAt), zone);
    }
    if (!mail.accessCode.empty())
    {
      report.accessCode = separately ? "separately" : "with-link";
      values[separately ? "AccessCodeSeparately" : "AccessCode"] = separately ? "yes" : mail.accessCode;
    }
    if (!mail.password.empty())
    {
      report.password = separately ? "not-sent" : "with-link";
      values[separately ? "PasswordSeparately" : "Password"] = separately ? "yes" : mail.password;
    }

    report.messages.push_back(SendOne(MailKind::Link, mail, report.language, values));
    if (report.messages.back().sent && !mail.accessCode.empty() && separately)
    {
      MailValues codeValues = values;
      codeValues.erase("Link");  // the code's e-mail never carries the link
      codeValues["AccessCode"] = mail.accessCode;
      report.messages.push_back(SendOne(MailKind::AccessCode, mail, report.language, codeValues));
    }
    else if (!mail.accessCode.empty() && separately)
    {
      report.accessCode = "not-sent";
    }

    report.sent = true;
    for (const SentMail& sent : report.messages)
    {
      if (!sent.sent)
      {
        report.sent = false;
        if (report.error.empty())
        {
          report.error =
            sent.content == "link" ? sent.error : "the link was sent but the access code was not: " + sent.error;
        }
      }
    }
    if (!report.sent && report.accessCode == "separately" && report.messages.size() > 1 && !report.messages[1].sent)
    {
      report.accessCode = "not-sent";
    }
    return report;
  }
}
