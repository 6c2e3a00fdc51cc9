// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>
#include <string_view>

struct evp_mac_ctx_st;

// Thin, exception-free wrappers over OpenSSL 3 for the few primitives the
// core needs. Keys and digests travel as raw bytes in std::string.
namespace studyshare::crypto
{
  std::string HmacSha256(std::string_view key, std::string_view data);

  // HMAC-SHA256 with one key, set up once. OpenSSL 3 looks algorithms up by
  // name under a global lock on every one-shot HMAC(); the gate verifies a
  // token per request on many threads, so it keeps a keyed context and
  // duplicates it instead.
  class HmacSha256Key
  {
  public:
    explicit HmacSha256Key(std::string_view key);
    ~HmacSha256Key();
    HmacSha256Key(const HmacSha256Key&) = delete;
    HmacSha256Key& operator=(const HmacSha256Key&) = delete;

    std::string Compute(std::string_view data) const;

  private:
    ::evp_mac_ctx_st* prototype_;
  };
  std::string Sha256(std::string_view data);
  std::string Sha256Hex(std::string_view data);

  // Constant-time for equal lengths; the length itself is not secret.
  bool ConstantTimeEquals(std::string_view a, std::string_view b);

  // Cryptographically secure; throws std::runtime_error if the RNG fails.
  std::string RandomBytes(size_t count);

  // Random identifier of `bytes` bytes, base64url-encoded.
  std::string RandomId(size_t bytes = 16);
}
