// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <array>
#include <cstddef>
#include <cstring>
#include <string_view>

namespace studyshare::crypto
{
  using Sha256Digest = std::array<unsigned char, 32>;

  // SHA-256 into a fixed array, for cache keys computed on every request:
  // no heap string, and one digest context per thread instead of a lookup
  // of the algorithm by name. Throws std::runtime_error if OpenSSL fails.
  Sha256Digest Sha256Of(std::string_view data);

  struct Sha256DigestHash
  {
    size_t operator()(const Sha256Digest& digest) const noexcept
    {
      size_t value;
      std::memcpy(&value, digest.data(), sizeof(value));  // already uniformly distributed
      return value;
    }
  };
}
