// SPDX-License-Identifier: GPL-3.0-or-later
// ShareApi's changes to an existing share (unlocking it, a new access code)
// and what describing one needs beyond its stored fields.
#include "ShareApi.h"

#include "AccessCode.h"

namespace studyshare
{
  std::optional<int64_t> ShareApi::LockedUntil(const Share& share, int64_t now) const
  {
    // The opener refuses while maxFailedAttempts failures are at most
    // lockoutSeconds old: the share opens again once the one that completes
    // the count (the maxFailedAttempts-th newest) is older than that.
    const std::vector<int64_t> failures = store_.ListFailedAttemptTimes(share.id, now - config_.lockoutSeconds);
    if (config_.maxFailedAttempts <= 0 || static_cast<int64_t>(failures.size()) < config_.maxFailedAttempts)
    {
      return std::nullopt;
    }
    return failures[static_cast<size_t>(config_.maxFailedAttempts - 1)] + config_.lockoutSeconds + 1;
  }

  std::string ShareApi::SenderName(const std::string& login) const
  {
    const auto found = config_.displayNames.find(login);
    if (found != config_.displayNames.end())
    {
      return found->second;
    }
    return config_.email.senderName.empty() ? login : config_.email.senderName;
  }

  ApiResponse ShareApi::Unlock(const std::string& id, const ApiCaller& caller)
  {
    if (!LookupVisible(id, caller))
    {
      return Error(404, "no share " + id);
    }
    const int64_t now = clock_();
    store_.ClearFailedAttempts(
      id, {id, now, "unlock", "success", caller.user.name, caller.clientAddress, caller.userAgent});
    return {200, Describe(*store_.Lookup(id), now)};
  }

  ApiResponse ShareApi::ReplaceAccessCode(const std::string& id, const ApiCaller& caller)
  {
    const std::optional<Share> share = LookupVisible(id, caller);
    if (!share)
    {
      return Error(404, "no share " + id);
    }
    const int64_t now = clock_();
    if (share->accessCodeHash.empty())
    {
      return Error(400, "this share has no access code to replace");
    }
    if (share->StateAt(now) != ShareState::Active)
    {
      return Error(
        400, std::string("this share is ") + ToString(share->StateAt(now)) + ": a new access code would open nothing");
    }
    const std::string code = AccessCode::Generate();
    if (!store_.ReplaceAccessCode(
          id, AccessCode::Digest(*AccessCode::Normalize(code)),
          {id, now, "access-code", "success", caller.user.name, caller.clientAddress, caller.userAgent}))
    {
      return Error(404, "no share " + id);
    }
    nlohmann::json answer = Describe(*store_.Lookup(id), now);
    answer["AccessCode"] = code;
    return {200, answer};
  }
}
