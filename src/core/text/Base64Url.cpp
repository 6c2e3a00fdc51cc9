// SPDX-License-Identifier: GPL-3.0-or-later
#include "Base64Url.h"

#include <array>
#include <cstdint>

namespace studyshare
{
  namespace
  {
    constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    constexpr char kStandardAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    constexpr std::array<int8_t, 256> MakeReverseTable(const char* alphabet)
    {
      std::array<int8_t, 256> table{};
      for (auto& entry : table)
      {
        entry = -1;
      }
      for (int i = 0; i < 64; i++)
      {
        table[static_cast<unsigned char>(alphabet[i])] = static_cast<int8_t>(i);
      }
      return table;
    }

    constexpr std::array<int8_t, 256> kReverse = MakeReverseTable(kAlphabet);
    constexpr std::array<int8_t, 256> kStandardReverse = MakeReverseTable(kStandardAlphabet);

    // Decodes unpadded text; refuses unknown characters and non-zero trailing bits.
    std::optional<std::string> Decode(std::string_view text, const std::array<int8_t, 256>& reverse)
    {
      if (text.size() % 4 == 1)
      {
        return std::nullopt;
      }
      std::string out;
      out.reserve(text.size() * 3 / 4);
      uint32_t buffer = 0;
      int bits = 0;
      for (char c : text)
      {
        const int8_t value = reverse[static_cast<unsigned char>(c)];
        if (value < 0)
        {
          return std::nullopt;
        }
        buffer = (buffer << 6) | static_cast<uint32_t>(value);
        bits += 6;
        if (bits >= 8)
        {
          bits -= 8;
          out.push_back(static_cast<char>((buffer >> bits) & 0xFF));
        }
      }
      if (bits > 0 && (buffer & ((1u << bits) - 1)) != 0)
      {
        return std::nullopt;
      }
      return out;
    }
  }

  std::string Base64UrlEncode(std::string_view bytes)
  {
    std::string out;
    out.reserve((bytes.size() * 4 + 2) / 3);
    size_t i = 0;
    for (; i + 2 < bytes.size(); i += 3)
    {
      const uint32_t v = (static_cast<uint8_t>(bytes[i]) << 16) | (static_cast<uint8_t>(bytes[i + 1]) << 8) |
                         static_cast<uint8_t>(bytes[i + 2]);
      out.push_back(kAlphabet[(v >> 18) & 63]);
      out.push_back(kAlphabet[(v >> 12) & 63]);
      out.push_back(kAlphabet[(v >> 6) & 63]);
      out.push_back(kAlphabet[v & 63]);
    }
    const size_t rest = bytes.size() - i;
    if (rest == 1)
    {
      const uint32_t v = static_cast<uint8_t>(bytes[i]) << 16;
      out.push_back(kAlphabet[(v >> 18) & 63]);
      out.push_back(kAlphabet[(v >> 12) & 63]);
    }
    else if (rest == 2)
    {
      const uint32_t v = (static_cast<uint8_t>(bytes[i]) << 16) | (static_cast<uint8_t>(bytes[i + 1]) << 8);
      out.push_back(kAlphabet[(v >> 18) & 63]);
      out.push_back(kAlphabet[(v >> 12) & 63]);
      out.push_back(kAlphabet[(v >> 6) & 63]);
    }
    return out;
  }

  std::optional<std::string> Base64UrlDecode(std::string_view text)
  {
    return Decode(text, kReverse);
  }

  std::optional<std::string> Base64Decode(std::string_view text)
  {
    if (text.size() % 4 != 0)
    {
      return std::nullopt;
    }
    size_t padding = 0;
    while (padding < 2 && padding < text.size() && text[text.size() - 1 - padding] == '=')
    {
      padding++;
    }
    return Decode(text.substr(0, text.size() - padding), kStandardReverse);
  }
}
