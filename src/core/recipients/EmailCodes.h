// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace studyshare
{
  struct EmailCodeSettings
  {
    int64_t validitySeconds = 600;  // a code works for 10 minutes
    int64_t sendsPerHour = 3;       // per share
  };

  // One-time codes e-mailed to a share's recipient ("RequireEmailCode"): six
  // digits, each valid validitySeconds, at most sendsPerHour sent per share
  // in any hour. Every code still valid is accepted (a resend does not void
  // the one in the inbox); a successful open ends them all. Only digests are
  // kept, in memory: a restart voids the codes sent (the recipient asks
  // again), and on several nodes each node counts its own sends. Wrong codes
  // are limited by the share's lockout (the opener counts them as failed
  // answers), not here.
  class EmailCodes
  {
  public:
    explicit EmailCodes(EmailCodeSettings settings = {});

    // A new code for the share, or nullopt when sendsPerHour were sent in the last hour.
    std::optional<std::string> Issue(const std::string& shareId, int64_t now);

    // When the next code may be sent (now when it may be sent now).
    int64_t NextSendAt(const std::string& shareId, int64_t now);

    // Whether `typed` (spaces and dashes ignored) is one of the share's valid codes.
    bool Matches(const std::string& shareId, const std::string& typed, int64_t now);

    // The share was opened: its codes stop working.
    void Forget(const std::string& shareId);

  private:
    struct Sent
    {
      std::string digest;
      int64_t at = 0;
    };

    void Prune(std::deque<Sent>& sent, int64_t now) const;

    const EmailCodeSettings settings_;
    std::mutex mutex_;
    std::map<std::string, std::deque<Sent>> byShare_;
  };

  // "jane.doe@example.org" → "j***@example.org", as the open answer shows it.
  std::string MaskEmailAddress(const std::string& address);
}
