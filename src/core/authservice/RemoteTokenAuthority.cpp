// SPDX-License-Identifier: GPL-3.0-or-later
#include "RemoteTokenAuthority.h"

#include "AuthWireProtocol.h"
#include "Crypto.h"

namespace studyshare
{
  namespace
  {
    const char* WireMethod(HttpMethod method)
    {
      switch (method)
      {
        case HttpMethod::Get:
          return "get";
        case HttpMethod::Head:
          return "get";  // the protocol knows no HEAD; it reads like GET
        case HttpMethod::Post:
          return "post";
        case HttpMethod::Put:
          return "put";
        case HttpMethod::Delete:
          return "delete";
        case HttpMethod::Other:
          break;
      }
      return "";
    }

    // The service reads `uri` for the route's class only, so answers hold
    // for every request of the same class on the same study. The client
    // address is not part of the key: the service's answer does not depend
    // on it (it names the client in the audit of downloads, never cached).
    std::string CacheKey(const RemoteQuestion& question)
    {
      return crypto::Sha256(question.token) + '\n' + WireMethod(question.method) + '\n' + question.level + '\n' +
             question.orthancId + '\n' + question.dicomUid + '\n' + ToString(question.access);
    }
  }

  RemoteTokenAuthority::RemoteTokenAuthority(RemoteAuthoritySettings settings, ITokenServiceTransport& transport,
                                             std::function<int64_t()> clockMilliseconds)
    : settings_(std::move(settings)), transport_(transport), clockMs_(std::move(clockMilliseconds))
  {
  }

  RemoteAnswer RemoteTokenAuthority::Ask(const RemoteQuestion& question)
  {
    if (WireMethod(question.method)[0] == '\0')
    {
      return {RemoteVerdict::Denied, "method not in the protocol"};
    }
    // Downloads are never served from the cache, so the service audits each one.
    const bool cacheable = question.access != RouteAccess::Download;
    const std::string key = cacheable ? CacheKey(question) : "";
    uint64_t generation;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      generation = generation_;
      if (cacheable)
      {
        auto found = cache_.find(key);
        if (found != cache_.end())
        {
          if (found->second.expiresAtMs > clockMs_())
          {
            return {found->second.granted ? RemoteVerdict::Granted : RemoteVerdict::Denied, "cached"};
          }
          cache_.erase(found);
        }
      }
    }

    int64_t validity = 0;
    RemoteAnswer answer = AskService(question, validity);
    if (cacheable && answer.verdict != RemoteVerdict::Unavailable && validity > 0)
    {
      std::lock_guard<std::mutex> lock(mutex_);
      // A revocation notice arrived while we asked: this answer may predate it.
      if (generation == generation_)
      {
        const int64_t nowMs = clockMs_();
        if (cache_.size() >= settings_.cacheCapacity)
        {
          // Expired answers go first, so a flood of new tokens does not wipe good ones at once.
          for (auto it = cache_.begin(); it != cache_.end();)
          {
            it = it->second.expiresAtMs <= nowMs ? cache_.erase(it) : std::next(it);
          }
          if (cache_.size() >= settings_.cacheCapacity)
          {
            cache_.clear();
          }
        }
        const int64_t seconds = std::min(validity, settings_.maxCacheSeconds);
        cache_[key] = {answer.verdict == RemoteVerdict::Granted, nowMs + seconds * 1000};
      }
    }
    return answer;
  }

  RemoteAnswer RemoteTokenAuthority::AskService(const RemoteQuestion& question, int64_t& validitySeconds)
  {
    ValidationQuery query;
    query.level = question.level;
    query.method = WireMethod(question.method);
    query.orthancId = question.orthancId;
    query.dicomUid = question.dicomUid;
    query.tokenKey = settings_.tokenKey;
    query.tokenValue = question.token;
    query.serverId = settings_.serverId;
    query.uri = question.uri;
    query.clientAddress = question.clientAddress;

    const TransportReply reply = transport_.Send("POST", "/tokens/validate", query.ToWire().dump());
    if (!reply.reached)
    {
      return {RemoteVerdict::Unavailable, "token service unreachable: " + reply.error};
    }
    if (reply.status != 200)
    {
      return {RemoteVerdict::Unavailable, "token service answered HTTP " + std::to_string(reply.status)};
    }
    const nlohmann::json answer = nlohmann::json::parse(reply.body, nullptr, false);
    if (answer.is_discarded() || !answer.is_object() || !answer.contains("granted") || !answer["granted"].is_boolean())
    {
      return {RemoteVerdict::Unavailable, "token service answered without a boolean 'granted'"};
    }
    validitySeconds = 0;
    if (answer.contains("validity") && !answer["validity"].is_null())
    {
      if (!answer["validity"].is_number_integer() || answer["validity"].get<int64_t>() < 0)
      {
        return {RemoteVerdict::Unavailable, "token service answered a 'validity' that is not a whole number"};
      }
      validitySeconds = answer["validity"].get<int64_t>();
    }
    return answer["granted"].get<bool>() ? RemoteAnswer{RemoteVerdict::Granted, "granted by the token service"}
                                         : RemoteAnswer{RemoteVerdict::Denied, "refused by the token service"};
  }

  void RemoteTokenAuthority::ForgetAll()
  {
    std::lock_guard<std::mutex> lock(mutex_);
    generation_++;
    cache_.clear();
  }

  size_t RemoteTokenAuthority::CachedAnswers() const
  {
    std::lock_guard<std::mutex> lock(mutex_);
    return cache_.size();
  }
}
