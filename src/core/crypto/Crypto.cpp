// SPDX-License-Identifier: GPL-3.0-or-later
#include "Crypto.h"

#include "Base64Url.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include <stdexcept>

namespace studyshare::crypto
{
  std::string HmacSha256(std::string_view key, std::string_view data)
  {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
             reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest, &length) == nullptr)
    {
      throw std::runtime_error("HMAC-SHA256 failed");
    }
    return std::string(reinterpret_cast<const char*>(digest), length);
  }

  HmacSha256Key::HmacSha256Key(std::string_view key) : prototype_(nullptr)
  {
    EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
    EVP_MAC_CTX* context = mac ? EVP_MAC_CTX_new(mac) : nullptr;
    EVP_MAC_free(mac);
    char digest[] = "SHA256";
    OSSL_PARAM parameters[] = {OSSL_PARAM_construct_utf8_string("digest", digest, 0), OSSL_PARAM_construct_end()};
    if (context == nullptr ||
        EVP_MAC_init(context, reinterpret_cast<const unsigned char*>(key.data()), key.size(), parameters) != 1)
    {
      EVP_MAC_CTX_free(context);
      throw std::runtime_error("HMAC-SHA256 cannot be set up");
    }
    prototype_ = context;
  }

  HmacSha256Key::~HmacSha256Key()
  {
    EVP_MAC_CTX_free(prototype_);
  }

  std::string HmacSha256Key::Compute(std::string_view data) const
  {
    EVP_MAC_CTX* context = EVP_MAC_CTX_dup(prototype_);
    unsigned char digest[EVP_MAX_MD_SIZE];
    size_t length = 0;
    const bool ok = context != nullptr &&
                    EVP_MAC_update(context, reinterpret_cast<const unsigned char*>(data.data()), data.size()) == 1 &&
                    EVP_MAC_final(context, digest, &length, sizeof(digest)) == 1;
    EVP_MAC_CTX_free(context);
    if (!ok)
    {
      throw std::runtime_error("HMAC-SHA256 failed");
    }
    return std::string(reinterpret_cast<const char*>(digest), length);
  }

  std::string Sha256(std::string_view data)
  {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha256(), nullptr) != 1)
    {
      throw std::runtime_error("SHA-256 failed");
    }
    return std::string(reinterpret_cast<const char*>(digest), length);
  }

  std::string Sha256Hex(std::string_view data)
  {
    static const char kHex[] = "0123456789abcdef";
    const std::string digest = Sha256(data);
    std::string hex;
    hex.reserve(digest.size() * 2);
    for (unsigned char c : digest)
    {
      hex.push_back(kHex[c >> 4]);
      hex.push_back(kHex[c & 15]);
    }
    return hex;
  }

  bool ConstantTimeEquals(std::string_view a, std::string_view b)
  {
    if (a.size() != b.size())
    {
      return false;
    }
    return a.empty() || CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
  }

  std::string RandomBytes(size_t count)
  {
    std::string bytes(count, '\0');
    if (count > 0 && RAND_bytes(reinterpret_cast<unsigned char*>(bytes.data()), static_cast<int>(count)) != 1)
    {
      throw std::runtime_error("the system random generator failed");
    }
    return bytes;
  }

  std::string RandomId(size_t bytes)
  {
    return Base64UrlEncode(RandomBytes(bytes));
  }
}
