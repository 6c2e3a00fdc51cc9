// SPDX-License-Identifier: GPL-3.0-or-later
#include "EmailCodes.h"

#include "Crypto.h"

namespace studyshare
{
  namespace
  {
    constexpr int64_t kHour = 3600;

    std::string Digest(const std::string& shareId, const std::string& code)
    {
      return crypto::Sha256Hex("studyshare-email-code:" + shareId + ":" + code);
    }

    std::string GenerateCode()
    {
      // Rejection sampling over 32-bit values keeps every code equally likely.
      constexpr uint32_t kRange = 1000000;
      const uint32_t limit = UINT32_MAX - (UINT32_MAX % kRange);
      for (;;)
      {
        const std::string bytes = crypto::RandomBytes(4);
        uint32_t value = 0;
        for (unsigned char byte : bytes)
        {
          value = (value << 8) | byte;
        }
        if (value < limit)
        {
          std::string code = std::to_string(value % kRange);
          return std::string(6 - code.size(), '0') + code;
        }
      }
    }
  }

  EmailCodes::EmailCodes(EmailCodeSettings settings) : settings_(settings) {}

  void EmailCodes::Prune(std::deque<Sent>& sent, int64_t now) const
  {
    while (!sent.empty() && sent.front().at <= now - kHour)
    {
      sent.pop_front();
    }
  }

  std::optional<std::string> EmailCodes::Issue(const std::string& shareId, int64_t now)
  {
    std::lock_guard<std::mutex> lock(mutex_);
    std::deque<Sent>& sent = byShare_[shareId];
    Prune(sent, now);
    if (static_cast<int64_t>(sent.size()) >= settings_.sendsPerHour)
    {
      return std::nullopt;
    }
    const std::string code = GenerateCode();
    sent.push_back({Digest(shareId, code), now});
    return code;
  }

  int64_t EmailCodes::NextSendAt(const std::string& shareId, int64_t now)
  {
    std::lock_guard<std::mutex> lock(mutex_);
    std::deque<Sent>& sent = byShare_[shareId];
    Prune(sent, now);
    return static_cast<int64_t>(sent.size()) < settings_.sendsPerHour ? now : sent.front().at + kHour;
  }

  bool EmailCodes::Matches(const std::string& shareId, const std::string& typed, int64_t now)
  {
    std::string code;
    for (char c : typed)
    {
      if (c == ' ' || c == '-')
      {
        continue;
      }
      if (c < '0' || c > '9')
      {
        return false;
      }
      code.push_back(c);
    }
    if (code.size() != 6)
    {
      return false;
    }
    const std::string digest = Digest(shareId, code);
    std::lock_guard<std::mutex> lock(mutex_);
    const auto found = byShare_.find(shareId);
    if (found == byShare_.end())
    {
      return false;
    }
    bool matched = false;
    for (const Sent& sent : found->second)
    {
      // Every candidate is compared, in constant time, whatever matched before.
      if (sent.at > now - settings_.validitySeconds && sent.at <= now &&
          crypto::ConstantTimeEquals(sent.digest, digest))
      {
        matched = true;
      }
    }
    return matched;
  }

  void EmailCodes::Forget(const std::string& shareId)
  {
    std::lock_guard<std::mutex> lock(mutex_);
    const auto found = byShare_.find(shareId);
    if (found != byShare_.end())
    {
      // The send count stays (the hourly limit holds); only the codes end.
      for (Sent& sent : found->second)
      {
        sent.digest.clear();
      }
    }
  }

  std::string MaskEmailAddress(const std::string& address)
  {
    const size_t at = address.rfind('@');
    if (at == std::string::npos || at == 0)
    {
      return "***";
    }
    return address.substr(0, 1) + "***" + address.substr(at);
  }
}
