// SPDX-License-Identifier: GPL-3.0-or-later
#include "Sha256Digest.h"

#include <openssl/evp.h>

#include <memory>
#include <stdexcept>

namespace studyshare::crypto
{
  namespace
  {
    struct ContextFree
    {
      void operator()(EVP_MD_CTX* context) const { EVP_MD_CTX_free(context); }
    };

    const EVP_MD* FetchedSha256()
    {
      static const EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
      return md;
    }
  }

  Sha256Digest Sha256Of(std::string_view data)
  {
    thread_local std::unique_ptr<EVP_MD_CTX, ContextFree> context(EVP_MD_CTX_new());
    Sha256Digest digest{};
    unsigned int length = 0;
    const EVP_MD* md = FetchedSha256();
    if (md == nullptr || !context || EVP_DigestInit_ex2(context.get(), md, nullptr) != 1 ||
        EVP_DigestUpdate(context.get(), data.data(), data.size()) != 1 ||
        EVP_DigestFinal_ex(context.get(), digest.data(), &length) != 1 || length != digest.size())
    {
      throw std::runtime_error("SHA-256 failed");
    }
    return digest;
  }
}
