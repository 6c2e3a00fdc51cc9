// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace studyshare
{
  enum class TokenAlgorithm
  {
    HS256,
    EdDSA
  };

  std::optional<TokenAlgorithm> ParseTokenAlgorithm(std::string_view name);
  const char* ToString(TokenAlgorithm algorithm);

  // Each key id maps to exactly one key and one algorithm (RFC 8725 §3.1):
  // a token's `alg` header is only ever checked against the algorithm pinned
  // to its `kid`, so HS256/EdDSA confusion cannot happen.
  class KeyRing
  {
  public:
    KeyRing();
    ~KeyRing();
    KeyRing(KeyRing&&) noexcept;
    KeyRing& operator=(KeyRing&&) noexcept;
    KeyRing(const KeyRing&) = delete;
    KeyRing& operator=(const KeyRing&) = delete;

    static constexpr size_t kMinimumSecretBytes = 32;

    // Throws std::invalid_argument on a short secret, a duplicate kid or a
    // PEM that does not hold an Ed25519 key.
    void AddHmacKey(const std::string& kid, const std::string& secret);
    void AddEd25519Key(const std::string& kid, const std::string& pem);  // private or public PEM

    // The key new tokens are signed with; must hold a private key.
    void SetSigningKey(const std::string& kid);
    const std::string& GetSigningKeyId() const { return signingKid_; }
    TokenAlgorithm GetSigningAlgorithm() const;
    bool HasKey(const std::string& kid) const { return keys_.count(kid) != 0; }

    std::string Sign(std::string_view signingInput) const;

    // False on unknown kid, an algorithm not pinned to that kid, or a bad signature.
    bool Verify(const std::string& kid, TokenAlgorithm algorithm, std::string_view signingInput,
                std::string_view signature) const noexcept;

    // Generates a new Ed25519 private key as PEM (for `studyshare gen-key`).
    static std::string GenerateEd25519PrivatePem();

  private:
    struct Entry;
    std::map<std::string, std::unique_ptr<Entry>> keys_;
    std::string signingKid_;
  };
}
