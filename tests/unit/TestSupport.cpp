// SPDX-License-Identifier: GPL-3.0-or-later
#include "TestSupport.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <memory>
#include <stdexcept>

namespace studyshare::test
{
  namespace
  {
    std::string BioText(BIO* bio)
    {
      char* data = nullptr;
      const long length = BIO_get_mem_data(bio, &data);
      return std::string(data, static_cast<size_t>(length));
    }
  }

  std::string PublicPemFromPrivatePem(const std::string& privatePem)
  {
    std::unique_ptr<BIO, decltype(&BIO_free)> in(
      BIO_new_mem_buf(privatePem.data(), static_cast<int>(privatePem.size())), &BIO_free);
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(
      PEM_read_bio_PrivateKey(in.get(), nullptr, nullptr, nullptr), &EVP_PKEY_free);
    std::unique_ptr<BIO, decltype(&BIO_free)> out(BIO_new(BIO_s_mem()), &BIO_free);
    if (!key || !out || PEM_write_bio_PUBKEY(out.get(), key.get()) != 1)
    {
      throw std::runtime_error("cannot derive the public PEM");
    }
    return BioText(out.get());
  }

  std::string EcP256PrivatePem()
  {
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"),
                                                            &EVP_PKEY_free);
    std::unique_ptr<BIO, decltype(&BIO_free)> out(BIO_new(BIO_s_mem()), &BIO_free);
    if (!key || !out || PEM_write_bio_PrivateKey(out.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1)
    {
      throw std::runtime_error("cannot make an EC key");
    }
    return BioText(out.get());
  }
}
