// SPDX-License-Identifier: GPL-3.0-or-later
#include "TokenVerifier.h"

#include "Base64Url.h"
#include "TokenSigner.h"

#include <nlohmann/json.hpp>

namespace studyshare
{
  const char* ToString(TokenStatus status)
  {
    switch (status)
    {
      case TokenStatus::Valid:
        return "valid";
      case TokenStatus::TooLong:
        return "token-too-long";
      case TokenStatus::Malformed:
        return "token-malformed";
      case TokenStatus::UnsupportedHeader:
        return "token-unsupported-header";
      case TokenStatus::UnknownKey:
        return "token-unknown-key";
      case TokenStatus::AlgorithmNotAllowed:
        return "token-algorithm-not-allowed";
      case TokenStatus::BadSignature:
        return "token-bad-signature";
      case TokenStatus::WrongType:
        return "token-wrong-type";
      case TokenStatus::WrongIssuer:
        return "token-wrong-issuer";
      case TokenStatus::WrongAudience:
        return "token-wrong-audience";
      case TokenStatus::MissingClaim:
        return "token-missing-claim";
      case TokenStatus::Expired:
        return "token-expired";
      case TokenStatus::NotYetValid:
        return "token-not-yet-valid";
      case TokenStatus::LifetimeTooLong:
        return "token-lifetime-too-long";
    }
    return "token-unknown-status";
  }

  namespace
  {
    TokenCheck Fail(TokenStatus status)
    {
      TokenCheck check;
      check.status = status;
      return check;
    }

    bool ReadString(const nlohmann::json& object, const char* name, std::string& target)
    {
      auto found = object.find(name);
      if (found == object.end() || !found->is_string())
      {
        return false;
      }
      target = found->get<std::string>();
      return !target.empty();
    }

    // Times outside 1970..9999 are refused, which also keeps every later
    // sum (exp + leeway) far from overflowing.
    constexpr int64_t kLatestTime = 253402300799;

    enum class TimeClaim
    {
      Present,
      Missing,
      OutOfRange
    };

    TimeClaim ReadTime(const nlohmann::json& object, const char* name, int64_t& target)
    {
      auto found = object.find(name);
      if (found == object.end() || !found->is_number_integer())
      {
        return TimeClaim::Missing;
      }
      if (found->is_number_unsigned() && found->get<uint64_t>() > static_cast<uint64_t>(kLatestTime))
      {
        return TimeClaim::OutOfRange;
      }
      target = found->get<int64_t>();
      return target >= 0 && target <= kLatestTime ? TimeClaim::Present : TimeClaim::OutOfRange;
    }

    std::optional<nlohmann::json> ParseObject(std::string_view part)
    {
      auto decoded = Base64UrlDecode(part);
      if (!decoded)
      {
        return std::nullopt;
      }
      nlohmann::json value = nlohmann::json::parse(*decoded, nullptr, false);
      if (value.is_discarded() || !value.is_object())
      {
        return std::nullopt;
      }
      return value;
    }
  }

  TokenCheck TokenVerifier::Verify(std::string_view token, TokenType expected, int64_t now) const noexcept
  {
    try
    {
      return VerifyUnsafe(token, expected, now);
    }
    catch (...)
    {
      return Fail(TokenStatus::Malformed);
    }
  }

  TokenCheck TokenVerifier::VerifyUnsafe(std::string_view token, TokenType expected, int64_t now) const
  {
    if (token.size() > policy_.maxTokenBytes)
    {
      return Fail(TokenStatus::TooLong);
    }
    const size_t firstDot = token.find('.');
    const size_t secondDot = firstDot == std::string_view::npos ? firstDot : token.find('.', firstDot + 1);
    if (secondDot == std::string_view::npos || token.find('.', secondDot + 1) != std::string_view::npos ||
        firstDot == 0 || secondDot == firstDot + 1 || secondDot + 1 == token.size())
    {
      return Fail(TokenStatus::Malformed);
    }

    auto header = ParseObject(token.substr(0, firstDot));
    if (!header)
    {
      return Fail(TokenStatus::Malformed);
    }
    // Only the three parameters we write are understood; anything else
    // (crit, jku, jwk, x5u, zip...) could change the meaning of the token.
    for (auto it = header->begin(); it != header->end(); ++it)
    {
      if (it.key() != "alg" && it.key() != "typ" && it.key() != "kid")
      {
        return Fail(TokenStatus::UnsupportedHeader);
      }
    }
    std::string alg, typ, kid;
    if (!ReadString(*header, "alg", alg) || !ReadString(*header, "typ", typ) || !ReadString(*header, "kid", kid))
    {
      return Fail(TokenStatus::UnsupportedHeader);
    }
    auto algorithm = ParseTokenAlgorithm(alg);
    if (!algorithm)
    {
      return Fail(TokenStatus::AlgorithmNotAllowed);
    }
    if (!keys_.HasKey(kid))
    {
      return Fail(TokenStatus::UnknownKey);
    }
    auto signature = Base64UrlDecode(token.substr(secondDot + 1));
    if (!signature)
    {
      return Fail(TokenStatus::Malformed);
    }
    if (!keys_.Verify(kid, *algorithm, token.substr(0, secondDot), *signature))
    {
      return Fail(TokenStatus::BadSignature);
    }

    // Signature is good from here on; check what the token claims.
    if (typ != ToTypHeader(expected))
    {
      return Fail(TokenStatus::WrongType);
    }
    auto payload = ParseObject(token.substr(firstDot + 1, secondDot - firstDot - 1));
    if (!payload)
    {
      return Fail(TokenStatus::Malformed);
    }
    TokenCheck check;
    check.claims.type = expected;
    std::string issuer;
    if (!ReadString(*payload, "iss", issuer))
    {
      return Fail(TokenStatus::MissingClaim);
    }
    if (issuer != kTokenIssuer)
    {
      return Fail(TokenStatus::WrongIssuer);
    }
    if (!ReadString(*payload, "aud", check.claims.audience))
    {
      return Fail(TokenStatus::MissingClaim);
    }
    if (check.claims.audience != policy_.audience)
    {
      return Fail(TokenStatus::WrongAudience);
    }
    if (!ReadString(*payload, "jti", check.claims.id))
    {
      return Fail(TokenStatus::MissingClaim);
    }
    for (const auto& [name, target] : {std::pair<const char*, int64_t*>{"exp", &check.claims.expiresAt},
                                       std::pair<const char*, int64_t*>{"iat", &check.claims.issuedAt}})
    {
      const TimeClaim claim = ReadTime(*payload, name, *target);
      if (claim != TimeClaim::Present)
      {
        return Fail(claim == TimeClaim::Missing ? TokenStatus::MissingClaim : TokenStatus::Malformed);
      }
    }
    if (payload->contains("nbf") && ReadTime(*payload, "nbf", check.claims.notBefore) != TimeClaim::Present)
    {
      return Fail(TokenStatus::Malformed);
    }
    if (expected == TokenType::Session && !ReadString(*payload, "sid", check.claims.shareId))
    {
      return Fail(TokenStatus::MissingClaim);
    }
    if (now >= kLatestTime || now >= check.claims.expiresAt + policy_.leewaySeconds)
    {
      return Fail(TokenStatus::Expired);
    }
    if (now + policy_.leewaySeconds < check.claims.notBefore || now + policy_.leewaySeconds < check.claims.issuedAt)
    {
      return Fail(TokenStatus::NotYetValid);
    }
    if (policy_.maxLifetimeSeconds > 0 && check.claims.expiresAt - check.claims.issuedAt > policy_.maxLifetimeSeconds)
    {
      return Fail(TokenStatus::LifetimeTooLong);
    }
    check.status = TokenStatus::Valid;
    return check;
  }
}
