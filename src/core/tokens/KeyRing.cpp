// SPDX-License-Identifier: GPL-3.0-or-later
#include "KeyRing.h"

#include "Crypto.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <stdexcept>

namespace studyshare
{
  namespace
  {
    struct PkeyDeleter
    {
      void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
    };
    struct BioDeleter
    {
      void operator()(BIO* bio) const { BIO_free(bio); }
    };
    struct MdCtxDeleter
    {
      void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
    };
    using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyDeleter>;
  }

  std::optional<TokenAlgorithm> ParseTokenAlgorithm(std::string_view name)
  {
    if (name == "HS256")
    {
      return TokenAlgorithm::HS256;
    }
    if (name == "EdDSA")
    {
      return TokenAlgorithm::EdDSA;
    }
    return std::nullopt;
  }

  const char* ToString(TokenAlgorithm algorithm)
  {
    return algorithm == TokenAlgorithm::HS256 ? "HS256" : "EdDSA";
  }

  struct KeyRing::Entry
  {
    TokenAlgorithm algorithm;
    std::unique_ptr<crypto::HmacSha256Key> secret;
    PkeyPtr key;
    bool hasPrivate = false;
  };

  KeyRing::KeyRing() = default;
  KeyRing::~KeyRing() = default;
  KeyRing::KeyRing(KeyRing&&) noexcept = default;
  KeyRing& KeyRing::operator=(KeyRing&&) noexcept = default;

  void KeyRing::AddHmacKey(const std::string& kid, const std::string& secret)
  {
    if (kid.empty() || keys_.count(kid))
    {
      throw std::invalid_argument("key id '" + kid + "' is empty or used twice");
    }
    if (secret.size() < kMinimumSecretBytes)
    {
      throw std::invalid_argument("the HS256 secret of key '" + kid + "' must hold at least 32 bytes");
    }
    auto entry = std::make_unique<Entry>();
    entry->algorithm = TokenAlgorithm::HS256;
    entry->secret = std::make_unique<crypto::HmacSha256Key>(secret);
    entry->hasPrivate = true;
    keys_[kid] = std::move(entry);
  }

  void KeyRing::AddEd25519Key(const std::string& kid, const std::string& pem)
  {
    if (kid.empty() || keys_.count(kid))
    {
      throw std::invalid_argument("key id '" + kid + "' is empty or used twice");
    }
    std::unique_ptr<BIO, BioDeleter> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    PkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
    bool hasPrivate = true;
    if (!key)
    {
      std::unique_ptr<BIO, BioDeleter> bio2(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
      key.reset(PEM_read_bio_PUBKEY(bio2.get(), nullptr, nullptr, nullptr));
      hasPrivate = false;
    }
    if (!key || EVP_PKEY_get_id(key.get()) != EVP_PKEY_ED25519)
    {
      throw std::invalid_argument("key '" + kid + "' is not an Ed25519 key in PEM format");
    }
    auto entry = std::make_unique<Entry>();
    entry->algorithm = TokenAlgorithm::EdDSA;
    entry->key = std::move(key);
    entry->hasPrivate = hasPrivate;
    keys_[kid] = std::move(entry);
  }

  void KeyRing::SetSigningKey(const std::string& kid)
  {
    auto found = keys_.find(kid);
    if (found == keys_.end())
    {
      throw std::invalid_argument("signing key '" + kid + "' is not configured");
    }
    if (!found->second->hasPrivate)
    {
      throw std::invalid_argument("signing key '" + kid + "' holds only a public key");
    }
    signingKid_ = kid;
  }

  TokenAlgorithm KeyRing::GetSigningAlgorithm() const
  {
    auto found = keys_.find(signingKid_);
    if (found == keys_.end())
    {
      throw std::logic_error("no signing key");
    }
    return found->second->algorithm;
  }

  std::string KeyRing::Sign(std::string_view signingInput) const
  {
    auto found = keys_.find(signingKid_);
    if (found == keys_.end())
    {
      throw std::logic_error("no signing key");
    }
    const Entry& entry = *found->second;
    if (entry.algorithm == TokenAlgorithm::HS256)
    {
      return entry.secret->Compute(signingInput);
    }
    std::unique_ptr<EVP_MD_CTX, MdCtxDeleter> ctx(EVP_MD_CTX_new());
    size_t length = 64;
    std::string signature(length, '\0');
    if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, entry.key.get()) != 1 ||
        EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &length,
                       reinterpret_cast<const unsigned char*>(signingInput.data()), signingInput.size()) != 1)
    {
      throw std::runtime_error("Ed25519 signing failed");
    }
    signature.resize(length);
    return signature;
  }

  bool KeyRing::Verify(const std::string& kid, TokenAlgorithm algorithm, std::string_view signingInput,
                       std::string_view signature) const noexcept
  {
    try
    {
      auto found = keys_.find(kid);
      if (found == keys_.end() || found->second->algorithm != algorithm)
      {
        return false;
      }
      const Entry& entry = *found->second;
      if (algorithm == TokenAlgorithm::HS256)
      {
        return crypto::ConstantTimeEquals(entry.secret->Compute(signingInput), signature);
      }
      if (signature.size() != 64)
      {
        return false;
      }
      std::unique_ptr<EVP_MD_CTX, MdCtxDeleter> ctx(EVP_MD_CTX_new());
      return ctx && EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, entry.key.get()) == 1 &&
             EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
                              reinterpret_cast<const unsigned char*>(signingInput.data()), signingInput.size()) == 1;
    }
    catch (...)
    {
      return false;
    }
  }

  std::string KeyRing::GenerateEd25519PrivatePem()
  {
    PkeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
    std::unique_ptr<BIO, BioDeleter> bio(BIO_new(BIO_s_mem()));
    if (!key || !bio || PEM_write_bio_PrivateKey(bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1)
    {
      throw std::runtime_error("Ed25519 key generation failed");
    }
    char* data = nullptr;
    const long length = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<size_t>(length));
  }
}
