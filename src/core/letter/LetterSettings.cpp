// SPDX-License-Identifier: GPL-3.0-or-later
#include "LetterSettings.h"

#include <cstdint>
#include <cstring>

namespace studyshare
{
  namespace
  {
    uint32_t ReadBigEndian32(const std::string& bytes, size_t at)
    {
      uint32_t value = 0;
      for (size_t i = 0; i < 4; i++)
      {
        value = (value << 8) | static_cast<uint8_t>(bytes[at + i]);
      }
      return value;
    }
  }

  bool LooksLikePng(const std::string& bytes)
  {
    static const char kSignature[] = "\x89PNG\r\n\x1a\n";
    // Signature (8), IHDR length (4), "IHDR" (4), width (4), height (4).
    if (bytes.size() < 24 || std::memcmp(bytes.data(), kSignature, 8) != 0 ||
        std::memcmp(bytes.data() + 12, "IHDR", 4) != 0)
    {
      return false;
    }
    return ReadBigEndian32(bytes, 16) > 0 && ReadBigEndian32(bytes, 20) > 0;
  }
}
