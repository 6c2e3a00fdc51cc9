// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "IShareStore.h"
#include "ISmtpSender.h"
#include "SharingSettings.h"

#include <functional>
#include <map>
#include <mutex>
#include <string>

namespace studyshare
{
  // E-mails the staff member who created an inbox that files arrived in it
  // (POST /share/api/inbox/complete, after each finished batch), at most once
  // per Email.InboxNotifyIntervalSeconds per inbox: the slot is taken under a
  // lock before the message is sent, so parallel calls send one. The address
  // is the creator's Users.{name}.Email, else Email.InboxNotifyAddress.
  //
  // What it says: the inbox's ID, the staff note and recipient name staff
  // typed, and per study only the modalities and counts, with the address of
  // the shares page (which asks for staff sign-in). No token, no link that
  // opens anything, and nothing the uploader sent about the patient (names,
  // IDs, dates, descriptions, UIDs): the message leaves the hospital's
  // systems over SMTP, and staff see the details once signed in.
  class InboxNotifier
  {
  public:
    InboxNotifier(const SharingSettings& config, IShareStore& store, ISmtpSender& sender,
                  std::function<int64_t()> clock);

    void SetWarningLog(std::function<void(const std::string&)> warn) { warn_ = std::move(warn); }

    struct Caller
    {
      std::string clientAddress;
      std::string userAgent;
    };

    // True when a message went now; false when nothing arrived, when one went
    // within the interval, when there is no address, or when sending failed.
    bool Notify(const std::string& inboxId, const Caller& caller);

  private:
    std::string AddressOf(const std::string& creator) const;
    bool TakeSlot(const std::string& inboxId, int64_t now);

    const SharingSettings& config_;
    IShareStore& store_;
    ISmtpSender& sender_;
    std::function<int64_t()> clock_;
    std::function<void(const std::string&)> warn_;
    std::mutex mutex_;
    std::map<std::string, int64_t> lastSent_;  // inbox ID → when its slot was last taken
  };
}
