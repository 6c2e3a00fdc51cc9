// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ISmtpSender.h"

namespace studyshare
{
  // SMTP through libcurl: one connection per message, STARTTLS per the
  // settings, connect and total timeouts. Safe to use from several threads.
  class CurlSmtpSender : public ISmtpSender
  {
  public:
    explicit CurlSmtpSender(SmtpSettings settings);

    void Send(const std::string& envelopeFrom, const std::vector<std::string>& envelopeTo,
              const std::string& message) override;

  private:
    SmtpSettings settings_;
  };
}
