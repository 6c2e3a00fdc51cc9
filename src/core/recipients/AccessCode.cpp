// SPDX-License-Identifier: GPL-3.0-or-later
#include "AccessCode.h"

#include "Crypto.h"

namespace studyshare
{
  namespace
  {
    const std::string kSymbols = "ABCDEFGHJKMNPQRSTVWXYZ23456789";
  }

  std::string AccessCode::Generate()
  {
    // Rejection sampling keeps every symbol equally likely.
    const unsigned limit = 256 - (256 % kSymbols.size());
    std::string code;
    size_t produced = 0;
    while (produced < kLength)
    {
      for (unsigned char byte : crypto::RandomBytes(32))
      {
        if (byte >= limit || produced == kLength)
        {
          continue;
        }
        code.push_back(kSymbols[byte % kSymbols.size()]);
        produced++;
        if (produced % 5 == 0 && produced < kLength)
        {
          code.push_back('-');
        }
      }
    }
    return code;
  }

  std::optional<std::string> AccessCode::Normalize(const std::string& typed)
  {
    std::string normalized;
    for (char c : typed)
    {
      if (c == ' ' || c == '-' || c == '\t')
      {
        continue;
      }
      if (c >= 'a' && c <= 'z')
      {
        c = static_cast<char>(c - 'a' + 'A');
      }
      if (kSymbols.find(c) == std::string::npos)
      {
        return std::nullopt;
      }
      normalized.push_back(c);
    }
    if (normalized.size() != kLength)
    {
      return std::nullopt;
    }
    return normalized;
  }

  std::string AccessCode::Digest(const std::string& normalized)
  {
    return crypto::Sha256Hex("studyshare-access-code:" + normalized);
  }
}
