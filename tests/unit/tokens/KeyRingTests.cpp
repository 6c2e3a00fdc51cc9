// SPDX-License-Identifier: GPL-3.0-or-later
#include "KeyRing.h"

#include "Crypto.h"
#include "TestSupport.h"

#include <gtest/gtest.h>

using namespace studyshare;
using namespace studyshare::test;

TEST(KeyRingTests, ParsesOnlyTheTwoPinnedAlgorithms)
{
  EXPECT_EQ(TokenAlgorithm::HS256, ParseTokenAlgorithm("HS256"));
  EXPECT_EQ(TokenAlgorithm::EdDSA, ParseTokenAlgorithm("EdDSA"));
  for (const char* other : {"none", "None", "NONE", "", "hs256", "HS384", "HS512", "RS256", "ES256", "eddsa", "PS256"})
  {
    EXPECT_FALSE(ParseTokenAlgorithm(other).has_value()) << other;
  }
  EXPECT_STREQ("HS256", ToString(TokenAlgorithm::HS256));
  EXPECT_STREQ("EdDSA", ToString(TokenAlgorithm::EdDSA));
}

TEST(KeyRingTests, RejectsShortSecretsEmptyAndDuplicateKids)
{
  KeyRing ring;
  EXPECT_THROW(ring.AddHmacKey("k1", std::string(31, 'x')), std::invalid_argument);
  EXPECT_NO_THROW(ring.AddHmacKey("k1", std::string(32, 'x')));
  EXPECT_THROW(ring.AddHmacKey("k1", kSecret), std::invalid_argument);
  EXPECT_THROW(ring.AddHmacKey("", kSecret), std::invalid_argument);
  EXPECT_THROW(ring.AddEd25519Key("k1", KeyRing::GenerateEd25519PrivatePem()), std::invalid_argument);
}

TEST(KeyRingTests, RejectsPemsThatAreNotEd25519)
{
  KeyRing ring;
  EXPECT_THROW(ring.AddEd25519Key("a", "not a pem"), std::invalid_argument);
  EXPECT_THROW(ring.AddEd25519Key("b", ""), std::invalid_argument);
  EXPECT_THROW(ring.AddEd25519Key("c", EcP256PrivatePem()), std::invalid_argument);
  EXPECT_THROW(ring.AddEd25519Key("d", PublicPemFromPrivatePem(EcP256PrivatePem())), std::invalid_argument);
  EXPECT_FALSE(ring.HasKey("a"));
}

TEST(KeyRingTests, GeneratedEd25519KeysAreDistinctPrivatePems)
{
  const std::string a = KeyRing::GenerateEd25519PrivatePem();
  const std::string b = KeyRing::GenerateEd25519PrivatePem();
  EXPECT_NE(a, b);
  EXPECT_NE(std::string::npos, a.find("-----BEGIN PRIVATE KEY-----"));
  KeyRing ring;
  EXPECT_NO_THROW(ring.AddEd25519Key("ed", a));
  EXPECT_NO_THROW(ring.SetSigningKey("ed"));
  EXPECT_EQ(TokenAlgorithm::EdDSA, ring.GetSigningAlgorithm());
}

TEST(KeyRingTests, SigningKeyMustExistAndHoldAPrivateKey)
{
  KeyRing ring;
  EXPECT_THROW(ring.Sign("x"), std::logic_error);
  EXPECT_THROW(ring.GetSigningAlgorithm(), std::logic_error);
  EXPECT_THROW(ring.SetSigningKey("nope"), std::invalid_argument);
  ring.AddEd25519Key("pub", PublicPemFromPrivatePem(KeyRing::GenerateEd25519PrivatePem()));
  EXPECT_TRUE(ring.HasKey("pub"));
  EXPECT_THROW(ring.SetSigningKey("pub"), std::invalid_argument);
}

TEST(KeyRingTests, HmacSignAndVerify)
{
  KeyRing ring;
  ring.AddHmacKey("k1", kSecret);
  ring.SetSigningKey("k1");
  EXPECT_EQ("k1", ring.GetSigningKeyId());
  EXPECT_EQ(TokenAlgorithm::HS256, ring.GetSigningAlgorithm());
  const std::string signature = ring.Sign("input");
  EXPECT_EQ(crypto::HmacSha256(kSecret, "input"), signature);
  EXPECT_TRUE(ring.Verify("k1", TokenAlgorithm::HS256, "input", signature));
  EXPECT_FALSE(ring.Verify("k1", TokenAlgorithm::HS256, "inpuT", signature));
  EXPECT_FALSE(ring.Verify("k1", TokenAlgorithm::EdDSA, "input", signature));
  EXPECT_FALSE(ring.Verify("k2", TokenAlgorithm::HS256, "input", signature));
  EXPECT_FALSE(ring.Verify("k1", TokenAlgorithm::HS256, "input", signature.substr(0, 31)));
  EXPECT_FALSE(ring.Verify("k1", TokenAlgorithm::HS256, "input", ""));
}

TEST(KeyRingTests, Ed25519SignAndVerifyWithThePublicKeyOnly)
{
  const std::string privatePem = KeyRing::GenerateEd25519PrivatePem();
  KeyRing signer;
  signer.AddEd25519Key("ed", privatePem);
  signer.SetSigningKey("ed");
  const std::string signature = signer.Sign("input");
  EXPECT_EQ(64u, signature.size());

  KeyRing verifier;
  verifier.AddEd25519Key("ed", PublicPemFromPrivatePem(privatePem));
  EXPECT_TRUE(verifier.Verify("ed", TokenAlgorithm::EdDSA, "input", signature));
  EXPECT_FALSE(verifier.Verify("ed", TokenAlgorithm::EdDSA, "input2", signature));
  EXPECT_FALSE(verifier.Verify("ed", TokenAlgorithm::HS256, "input", signature));
  EXPECT_FALSE(verifier.Verify("ed", TokenAlgorithm::EdDSA, "input", signature.substr(1)));
  EXPECT_FALSE(verifier.Verify("ed", TokenAlgorithm::EdDSA, "input", std::string(64, '\0')));
  // Algorithm confusion: an HMAC made with the public PEM as secret is not an EdDSA signature,
  // and HS256 is not pinned to this kid.
  const std::string pem = PublicPemFromPrivatePem(privatePem);
  EXPECT_FALSE(verifier.Verify("ed", TokenAlgorithm::HS256, "input", crypto::HmacSha256(pem, "input")));
}

TEST(KeyRingTests, RotationKeepsOldKeysForVerification)
{
  KeyRing ring;
  ring.AddHmacKey("old", std::string(40, 'o'));
  ring.AddHmacKey("new", std::string(40, 'n'));
  ring.SetSigningKey("old");
  const std::string oldSignature = ring.Sign("x");
  ring.SetSigningKey("new");
  EXPECT_TRUE(ring.Verify("old", TokenAlgorithm::HS256, "x", oldSignature));
  EXPECT_FALSE(ring.Verify("new", TokenAlgorithm::HS256, "x", oldSignature));
  EXPECT_TRUE(ring.Verify("new", TokenAlgorithm::HS256, "x", ring.Sign("x")));
}

TEST(KeyRingTests, MovesKeepKeys)
{
  KeyRing ring;
  ring.AddHmacKey("k1", kSecret);
  ring.SetSigningKey("k1");
  KeyRing moved(std::move(ring));
  EXPECT_TRUE(moved.HasKey("k1"));
  EXPECT_EQ(crypto::HmacSha256(kSecret, "a"), moved.Sign("a"));
}
