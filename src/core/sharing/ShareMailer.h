// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ISmtpSender.h"
#include "MailMessage.h"
#include "MailTemplates.h"
#include "SharingSettings.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace studyshare
{
  // What the link e-mail (and the access-code e-mail) say about one share.
  struct ShareMail
  {
    std::string shareId;
    std::string to;
    std::string recipientName;
    std::string language;  // supported language; empty: the configured default
    std::string link;
    std::string accessCode;  // empty: the share has none
    std::string password;    // empty: the share has none
    bool birthDateRequired = false;
    std::optional<int64_t> expiresAt;
    std::string note;
    std::string senderName;
  };

  struct SentMail
  {
    std::string content;  // "link" or "access-code"
    bool sent = false;
    std::string error;
    std::string messageId;
  };

  struct ShareMailReport
  {
    std::string to;
    std::string language;
    bool sent = false;  // every message went
    std::string error;  // the first failure, for staff
    std::vector<SentMail> messages;
    std::string accessCode;  // "with-link", "separately", "not-sent" or empty (no code)
    std::string password;    // "with-link", "not-sent" or empty (no password)
  };

  // Composes the e-mails of a share from the templates and hands them to the
  // SMTP sender. Never throws for an SMTP failure: the report says it.
  // With SendSecretsSeparately (the default), the access code goes in a
  // second e-mail without the link, and a password is never e-mailed.
  class ShareMailer
  {
  public:
    ShareMailer(const SharingSettings& config, MailTemplates templates, ISmtpSender& sender,
                std::function<int64_t()> clock);

    ShareMailReport Send(const ShareMail& mail) const;

    // Where failures are logged (never with the link or a secret).
    void SetWarningLog(std::function<void(const std::string&)> warn) { warn_ = std::move(warn); }

    // The server's offset from UTC at a given time (seconds), for dates in e-mails.
    static int64_t LocalUtcOffset(int64_t at);

  private:
    SentMail SendOne(MailKind kind, const ShareMail& mail, const std::string& language, const MailValues& values) const;

    const SharingSettings& config_;
    MailTemplates templates_;
    ISmtpSender& sender_;
    std::function<int64_t()> clock_;
    std::function<void(const std::string&)> warn_;
  };
}
