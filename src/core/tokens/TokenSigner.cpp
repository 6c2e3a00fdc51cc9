// SPDX-License-Identifier: GPL-3.0-or-later
#include "TokenSigner.h"

#include "Base64Url.h"

#include <nlohmann/json.hpp>

namespace studyshare
{
  const char* ToTypHeader(TokenType type)
  {
    return type == TokenType::Share ? "studyshare-share+jwt" : "studyshare-session+jwt";
  }

  std::string TokenSigner::Issue(const TokenClaims& claims) const
  {
    nlohmann::ordered_json header = {{"alg", ToString(keys_.GetSigningAlgorithm())},
                                     {"typ", ToTypHeader(claims.type)},
                                     {"kid", keys_.GetSigningKeyId()}};

    nlohmann::ordered_json payload = {{"iss", kTokenIssuer},    {"aud", claims.audience},  {"jti", claims.id},
                                      {"iat", claims.issuedAt}, {"nbf", claims.notBefore}, {"exp", claims.expiresAt}};
    if (claims.type == TokenType::Session)
    {
      payload["sid"] = claims.shareId;
    }

    const std::string input = Base64UrlEncode(header.dump()) + "." + Base64UrlEncode(payload.dump());
    return input + "." + Base64UrlEncode(keys_.Sign(input));
  }
}
