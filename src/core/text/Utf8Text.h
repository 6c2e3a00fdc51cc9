// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>
#include <string_view>

namespace studyshare
{
  // Request-derived text (headers, paths, addresses) is bytes, not text: what
  // is stored must be valid UTF-8 (JSON answers cannot carry anything else),
  // and what is logged must not start a new line or drive a terminal.

  // Every byte that does not start a well-formed UTF-8 sequence (RFC 3629:
  // no overlong forms, surrogates or code points past U+10FFFF) becomes
  // U+FFFD; the result is cut at a character boundary to at most `maxBytes`.
  std::string ToValidUtf8(std::string_view text, size_t maxBytes = std::string_view::npos);

  // One log line's worth of `text`: control characters (C0, DEL, C1), the
  // line and paragraph separators, backslashes and bytes that are not UTF-8
  // are written as \xNN or \uNNNN; everything else as is.
  std::string EscapeForLog(std::string_view text);
}
