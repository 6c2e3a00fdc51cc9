// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "IRemoteAuthority.h"
#include "TokenServiceTransport.h"

#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <unordered_map>

namespace studyshare
{
  struct RemoteAuthoritySettings
  {
    std::string tokenKey = "token";  // sent as token-key, the name our gate reads tokens under
    std::string serverId;            // sent as server-id; empty: null
    int64_t maxCacheSeconds = 10;    // answers are kept for min(this, the answer's validity)
    size_t cacheCapacity = 20000;
  };

  // Remote mode's side of POST /tokens/validate: asks the service, keeps its
  // answers for at most their `validity`, and forgets them all on a
  // revocation notice. Anything but a well-formed answer is Unavailable.
  class RemoteTokenAuthority : public IRemoteAuthority
  {
  public:
    RemoteTokenAuthority(RemoteAuthoritySettings settings, ITokenServiceTransport& transport,
                         std::function<int64_t()> clockMilliseconds);

    RemoteAnswer Ask(const RemoteQuestion& question) override;

    // A share was revoked here: no cached answer may outlive that.
    void ForgetAll();

    size_t CachedAnswers() const;

  private:
    struct Entry
    {
      bool granted = false;
      int64_t expiresAtMs = 0;
    };

    RemoteAnswer AskService(const RemoteQuestion& question, int64_t& validitySeconds);

    const RemoteAuthoritySettings settings_;
    ITokenServiceTransport& transport_;
    std::function<int64_t()> clockMs_;
    mutable std::mutex mutex_;
    std::unordered_map<std::string, Entry> cache_;
    uint64_t generation_ = 0;
  };
}
