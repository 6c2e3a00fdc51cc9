// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace studyshare
{
  // RFC 4648 §5 without padding, as JWTs use it.
  std::string Base64UrlEncode(std::string_view bytes);

  // Strict: rejects padding, whitespace, characters outside the URL-safe
  // alphabet and non-canonical trailing bits, so one token has one spelling.
  std::optional<std::string> Base64UrlDecode(std::string_view text);

  // RFC 4648 §4 with its padding, as HTTP Basic credentials use it.
  std::optional<std::string> Base64Decode(std::string_view text);
}
