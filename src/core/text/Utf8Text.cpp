// SPDX-License-Identifier: GPL-3.0-or-later
#include "Utf8Text.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>

namespace studyshare
{
  namespace
  {
    constexpr std::string_view kReplacement = "\xEF\xBF\xBD";

    // The length of the well-formed sequence at `at`, 0 when there is none.
    size_t SequenceLength(std::string_view text, size_t at, uint32_t& codePoint)
    {
      const auto byte = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
      const unsigned char lead = byte(at);
      if (lead < 0x80)
      {
        codePoint = lead;
        return 1;
      }
      size_t length;
      uint32_t minimum;
      if (lead >= 0xC2 && lead <= 0xDF)
      {
        length = 2;
        minimum = 0x80;
        codePoint = lead & 0x1F;
      }
      else if (lead >= 0xE0 && lead <= 0xEF)
      {
        length = 3;
        minimum = 0x800;
        codePoint = lead & 0x0F;
      }
      else if (lead >= 0xF0 && lead <= 0xF4)
      {
        length = 4;
        minimum = 0x10000;
        codePoint = lead & 0x07;
      }
      else
      {
        return 0;
      }
      if (at + length > text.size())
      {
        return 0;
      }
      for (size_t i = 1; i < length; i++)
      {
        if ((byte(at + i) & 0xC0) != 0x80)
        {
          return 0;
        }
        codePoint = (codePoint << 6) | (byte(at + i) & 0x3F);
      }
      if (codePoint < minimum || codePoint > 0x10FFFF || (codePoint >= 0xD800 && codePoint <= 0xDFFF))
      {
        return 0;
      }
      return length;
    }

    void AppendHexEscape(std::string& out, unsigned char byte)
    {
      char buffer[5];
      std::snprintf(buffer, sizeof(buffer), "\\x%02X", byte);
      out += buffer;
    }
  }

  std::string ToValidUtf8(std::string_view text, size_t maxBytes)
  {
    std::string out;
    out.reserve(std::min(text.size(), maxBytes));
    for (size_t at = 0; at < text.size();)
    {
      uint32_t codePoint;
      const size_t length = SequenceLength(text, at, codePoint);
      const std::string_view piece = length == 0 ? kReplacement : text.substr(at, length);
      if (out.size() + piece.size() > maxBytes)
      {
        break;
      }
      out += piece;
      at += length == 0 ? 1 : length;
    }
    return out;
  }

  std::string EscapeForLog(std::string_view text)
  {
    std::string out;
    out.reserve(text.size());
    for (size_t at = 0; at < text.size();)
    {
      uint32_t codePoint;
      const size_t length = SequenceLength(text, at, codePoint);
      if (length == 0)
      {
        AppendHexEscape(out, static_cast<unsigned char>(text[at]));
        at++;
        continue;
      }
      if (codePoint < 0x20 || codePoint == 0x7F || codePoint == '\\')
      {
        AppendHexEscape(out, static_cast<unsigned char>(codePoint));
      }
      else if ((codePoint >= 0x80 && codePoint <= 0x9F) || codePoint == 0x2028 || codePoint == 0x2029)
      {
        char buffer[8];
        std::snprintf(buffer, sizeof(buffer), "\\u%04X", static_cast<unsigned>(codePoint));
        out += buffer;
      }
      else
      {
        out.append(text.substr(at, length));
      }
      at += length;
    }
    return out;
  }
}
