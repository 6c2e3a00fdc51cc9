// SPDX-License-Identifier: GPL-3.0-or-later
// Small parsers of request text: mail addresses, ISO dates, access codes,
// Base64, UTF-8 sanitizing and log escaping. Properties: sanitized text is
// valid UTF-8 (sanitizing it again changes nothing, JSON accepts it); escaped
// text holds no control character; a normalized code normalizes to itself.
#include "AccessCode.h"
#include "Base64Url.h"
#include "FuzzInput.h"
#include "IsoTime.h"
#include "MailMessage.h"
#include "Utf8Text.h"

#include <nlohmann/json.hpp>

using namespace studyshare;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
  const std::string text = fuzz::Text(data, size);

  const std::string valid = ToValidUtf8(text, size % 7 == 0 ? 512 : std::string::npos);
  fuzz::Require(ToValidUtf8(valid) == valid);
  (void)nlohmann::json(valid).dump();
  for (unsigned char c : EscapeForLog(text))
  {
    fuzz::Require(c >= 0x20 && c != 0x7F);
  }

  if (const auto code = AccessCode::Normalize(text))
  {
    fuzz::Require(AccessCode::Normalize(*code) == code);
  }
  (void)ParseIsoTime(text);
  (void)IsValidMailAddress(text);
  (void)ParseMailbox(text);
  (void)Base64Decode(text);
  (void)Base64UrlDecode(text);
  return 0;
}
