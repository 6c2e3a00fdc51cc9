// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ISmtpSender.h"
#include "Share.h"
#include "SharingSettings.h"

#include <functional>
#include <string>

namespace studyshare
{
  // E-mails a share's one-time opening code to its recipient (Recipient.Email),
  // in the recipient's language. The code appears only in the message: never
  // in a log line or a warning.
  class EmailCodeMailer
  {
  public:
    EmailCodeMailer(const SharingSettings& config, ISmtpSender& sender, std::function<int64_t()> clock,
                    int64_t validitySeconds);

    void SetWarningLog(std::function<void(const std::string&)> warn) { warn_ = std::move(warn); }

    // False when the share has no address or the message could not be sent.
    bool Send(const Share& share, const std::string& code) const;

  private:
    const SharingSettings& config_;
    ISmtpSender& sender_;
    std::function<int64_t()> clock_;
    const int64_t validityMinutes_;
    std::function<void(const std::string&)> warn_;
  };
}
