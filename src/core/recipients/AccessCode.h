// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <optional>
#include <string>

namespace studyshare
{
  // Human-typable access codes: 15 characters from a 30-symbol alphabet
  // without look-alikes (no 0/O, 1/I/L, U), about 73 bits, shown in groups of
  // five. Typing is forgiving: case, spaces and dashes are ignored.
  class AccessCode
  {
  public:
    static constexpr size_t kLength = 15;

    static std::string Generate();

    // Upper-case, separators removed; nullopt if a character is not in the alphabet.
    static std::optional<std::string> Normalize(const std::string& typed);

    // What the store keeps: a digest, never the code.
    static std::string Digest(const std::string& normalized);
  };
}
