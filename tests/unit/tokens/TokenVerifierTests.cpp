// SPDX-License-Identifier: GPL-3.0-or-later
// Token verification, including a table of hand-made hostile tokens: each
// attack is built byte by byte (our own header and payload JSON, signed with
// crypto::HmacSha256 or an Ed25519 key where a signature must pass) and must
// fail with one exact reason.
#include "TokenSigner.h"
#include "TokenVerifier.h"

#include "TestSupport.h"

#include <gtest/gtest.h>

#include <limits>
#include <set>

using namespace studyshare;
using namespace studyshare::test;
using Json = nlohmann::ordered_json;

namespace
{
  struct Keys
  {
    std::string edPrivatePem;
    std::string edPublicPem;
    std::string attackerEdPem;
    KeyRing verifying;  // k1: HS256 kSecret; ed: EdDSA public key only
  };

  const Keys& GetKeys()
  {
    static const Keys* keys = []
    {
      auto* k = new Keys;
      k->edPrivatePem = KeyRing::GenerateEd25519PrivatePem();
      k->edPublicPem = PublicPemFromPrivatePem(k->edPrivatePem);
      k->attackerEdPem = KeyRing::GenerateEd25519PrivatePem();
      k->verifying.AddHmacKey("k1", kSecret);
      k->verifying.AddEd25519Key("ed", k->edPublicPem);
      return k;
    }();
    return *keys;
  }

  TokenPolicy Policy()
  {
    TokenPolicy policy;
    policy.audience = kAudience;
    policy.leewaySeconds = 30;
    policy.maxTokenBytes = 4096;
    return policy;
  }

  std::string EdSign(const std::string& pem, const std::string& input)
  {
    KeyRing ring;
    ring.AddEd25519Key("x", pem);
    ring.SetSigningKey("x");
    return ring.Sign(input);
  }

  std::string EdToken(const Json& header, const Json& payload, const std::string& pem)
  {
    const std::string input = SigningInput(header.dump(), payload.dump());
    return input + "." + B64(EdSign(pem, input));
  }

  // input is already "header.payload" text; signs it with the HS256 test secret.
  std::string SignRaw(const std::string& input)
  {
    return input + "." + B64(crypto::HmacSha256(kSecret, input));
  }

  Json Without(Json object, const std::string& key)
  {
    object.erase(key);
    return object;
  }

  Json With(Json object, const std::string& key, const Json& value)
  {
    object[key] = value;
    return object;
  }

  std::vector<std::string> SplitToken(const std::string& token)
  {
    std::vector<std::string> parts;
    size_t start = 0;
    for (;;)
    {
      const size_t dot = token.find('.', start);
      parts.push_back(token.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
      if (dot == std::string::npos)
      {
        return parts;
      }
      start = dot + 1;
    }
  }

  struct Attack
  {
    std::string name;
    std::string token;
    TokenType expected;
    TokenStatus status;
  };

  std::vector<Attack> BuildAttacks()
  {
    const Keys& keys = GetKeys();
    const Json h = Header();
    const Json p = Payload();
    const std::string good = HmacToken(h, p);
    const auto goodParts = SplitToken(good);
    const std::string goodSignature = goodParts[2];
    const Json sessionPayload = With(Payload("session-1"), "sid", "share-1");

    std::vector<Attack> a;
    auto add = [&](const std::string& name, const std::string& token, TokenStatus status,
                   TokenType expected = TokenType::Share) {
      a.push_back({name, token, expected, status});
    };

    // --- alg ---
    {
      const std::string input = SigningInput(Header("none").dump(), p.dump());
      add("alg_none_without_signature", input + ".", TokenStatus::Malformed);
      add("alg_none_with_signature", SignRaw(input), TokenStatus::AlgorithmNotAllowed);
      add("alg_none_signature_of_garbage", input + ".AAAA", TokenStatus::AlgorithmNotAllowed);
    }
    add("alg_None_capitalised", HmacToken(Header("None"), p), TokenStatus::AlgorithmNotAllowed);
    add("alg_hs256_lowercase", HmacToken(Header("hs256"), p), TokenStatus::AlgorithmNotAllowed);
    add("alg_HS512", HmacToken(Header("HS512"), p), TokenStatus::AlgorithmNotAllowed);
    add("alg_RS256", HmacToken(Header("RS256"), p), TokenStatus::AlgorithmNotAllowed);
    add("alg_empty", HmacToken(Header(""), p), TokenStatus::UnsupportedHeader);
    add("alg_number", HmacToken(With(h, "alg", 256), p), TokenStatus::UnsupportedHeader);
    // Algorithm confusion: HS256 keyed with the public Ed25519 PEM against a kid pinned to EdDSA.
    add("alg_confusion_hs256_with_ed25519_public_pem",
        HmacToken(Header("HS256", ShareTyp(), "ed"), p, keys.edPublicPem), TokenStatus::BadSignature);
    add("alg_confusion_hs256_with_ed25519_public_pem_trimmed",
        HmacToken(Header("HS256", ShareTyp(), "ed"), p, keys.edPublicPem.substr(0, keys.edPublicPem.size() - 1)),
        TokenStatus::BadSignature);
    add("alg_confusion_eddsa_on_hmac_kid", EdToken(Header("EdDSA", ShareTyp(), "k1"), p, keys.attackerEdPem),
        TokenStatus::BadSignature);
    add("alg_confusion_hs256_on_hmac_kid_named_eddsa", HmacToken(Header("EdDSA", ShareTyp(), "k1"), p),
        TokenStatus::BadSignature);
    // --- signature ---
    add("wrong_hmac_key", HmacToken(h, p, std::string(40, 'w')), TokenStatus::BadSignature);
    add("wrong_ed25519_key", EdToken(Header("EdDSA", ShareTyp(), "ed"), p, keys.attackerEdPem),
        TokenStatus::BadSignature);
    add("tampered_jti", goodParts[0] + "." + B64(With(p, "jti", "share-2").dump()) + "." + goodSignature,
        TokenStatus::BadSignature);
    add("tampered_exp", goodParts[0] + "." + B64(With(p, "exp", kNow + 999999).dump()) + "." + goodSignature,
        TokenStatus::BadSignature);
    add("tampered_header_typ", B64(Header("HS256", SessionTyp()).dump()) + "." + goodParts[1] + "." + goodSignature,
        TokenStatus::BadSignature);
    add("tampered_header_kid_unknown",
        B64(Header("HS256", ShareTyp(), "k9").dump()) + "." + goodParts[1] + "." + goodSignature,
        TokenStatus::UnknownKey);
    add("signature_of_another_token",
        goodParts[0] + "." + goodParts[1] + "." + SplitToken(HmacToken(h, Payload("other")))[2],
        TokenStatus::BadSignature);
    add("signature_truncated", goodParts[0] + "." + goodParts[1] + "." + goodSignature.substr(0, 40),
        TokenStatus::BadSignature);
    add("signature_one_zero_byte", goodParts[0] + "." + goodParts[1] + ".AA", TokenStatus::BadSignature);
    {
      const std::string ed = EdToken(Header("EdDSA", ShareTyp(), "ed"), p, keys.edPrivatePem);
      const auto parts = SplitToken(ed);
      const std::string raw = *Base64UrlDecode(parts[2]);
      add("ed25519_signature_truncated", parts[0] + "." + parts[1] + "." + B64(raw.substr(0, 63)),
          TokenStatus::BadSignature);
      std::string flipped = raw;
      flipped[10] = static_cast<char>(flipped[10] ^ 1);
      add("ed25519_signature_bit_flipped", parts[0] + "." + parts[1] + "." + B64(flipped), TokenStatus::BadSignature);
    }
    // --- shape ---
    add("stripped_signature", goodParts[0] + "." + goodParts[1] + ".", TokenStatus::Malformed);
    add("stripped_signature_and_dot", goodParts[0] + "." + goodParts[1], TokenStatus::Malformed);
    add("extra_trailing_dot", good + ".", TokenStatus::Malformed);
    add("extra_fourth_part", good + ".AAAA", TokenStatus::Malformed);
    add("jwe_like_five_parts", good + ".AAAA.BBBB", TokenStatus::Malformed);
    add("empty_header", "." + goodParts[1] + "." + goodSignature, TokenStatus::Malformed);
    add("empty_payload", goodParts[0] + ".." + goodSignature, TokenStatus::Malformed);
    add("only_header", goodParts[0], TokenStatus::Malformed);
    add("empty_string", "", TokenStatus::Malformed);
    add("two_dots_only", "..", TokenStatus::Malformed);
    add("three_dots_only", "...", TokenStatus::Malformed);
    add("leading_dot", "." + good, TokenStatus::Malformed);
    // --- base64 ---
    add("header_with_padding", goodParts[0] + "=." + goodParts[1] + "." + goodSignature, TokenStatus::Malformed);
    add("signature_with_padding", good + "=", TokenStatus::Malformed);
    add("signature_with_plus",
        goodParts[0] + "." + goodParts[1] + "." + goodSignature.substr(0, 10) + "+" + goodSignature.substr(11),
        TokenStatus::Malformed);
    add("signature_with_slash",
        goodParts[0] + "." + goodParts[1] + "." + goodSignature.substr(0, 10) + "/" + goodSignature.substr(11),
        TokenStatus::Malformed);
    add("signature_with_space",
        goodParts[0] + "." + goodParts[1] + "." + goodSignature.substr(0, 10) + " " + goodSignature.substr(11),
        TokenStatus::Malformed);
    add("leading_space", " " + good, TokenStatus::Malformed);
    add("trailing_newline", good + "\n", TokenStatus::Malformed);
    add(
      "signature_non_canonical_last_char",
      [&]
      {
        // 32 bytes = 43 characters; the last one carries 2 bits and 4 zero bits.
        std::string s = goodSignature;
        s.back() = s.back() == 'A' ? 'B' : static_cast<char>(s.back() + 1);
        return goodParts[0] + "." + goodParts[1] + "." + s;
      }(),
      TokenStatus::Malformed);
    {
      std::string payload = goodParts[1];
      payload[5] = '+';
      add("payload_with_plus_signed", SignRaw(goodParts[0] + "." + payload), TokenStatus::Malformed);
      payload[5] = '/';
      add("payload_with_slash_signed", SignRaw(goodParts[0] + "." + payload), TokenStatus::Malformed);
      add("payload_with_padding_signed", SignRaw(goodParts[0] + "." + goodParts[1] + "=="), TokenStatus::Malformed);
      add("payload_with_tab_signed",
          SignRaw(goodParts[0] + "." + goodParts[1].substr(0, 4) + "\t" + goodParts[1].substr(4)),
          TokenStatus::Malformed);
    }
    add(
      "header_standard_base64_plus",
      [&]
      {
        // A header whose JSON encodes to '-' or '_' in base64url, sent with '+' or '/'.
        std::string encoded;
        for (size_t n = 0; encoded.find_first_of("-_") == std::string::npos; n++)
        {
          encoded = B64(R"({"alg":"HS256","typ":")" + ShareTyp() + R"(","kid":"k1)" + std::string(n, '>') + "?\"}");
        }
        for (char& c : encoded)
        {
          c = c == '-' ? '+' : c == '_' ? '/' : c;
        }
        return SignRaw(encoded + "." + goodParts[1]);
      }(),
      TokenStatus::Malformed);
    // --- JSON ---
    add("header_not_json", SignRaw(B64("alg=HS256") + "." + goodParts[1]), TokenStatus::Malformed);
    add("header_json_array", SignRaw(B64(R"(["HS256","k1"])") + "." + goodParts[1]), TokenStatus::Malformed);
    add("header_json_string", SignRaw(B64(R"("HS256")") + "." + goodParts[1]), TokenStatus::Malformed);
    add("payload_not_json", HmacToken(h.dump(), "jti=share-1"), TokenStatus::Malformed);
    add("payload_json_array", HmacToken(h.dump(), "[" + p.dump() + "]"), TokenStatus::Malformed);
    add("payload_json_null", HmacToken(h.dump(), "null"), TokenStatus::Malformed);
    add("payload_truncated_json", HmacToken(h.dump(), p.dump().substr(0, 20)), TokenStatus::Malformed);
    add("payload_trailing_garbage", HmacToken(h.dump(), p.dump() + "x"), TokenStatus::Malformed);
    add("payload_empty", HmacToken(h.dump(), ""), TokenStatus::Malformed);
    // --- header parameters ---
    add("missing_kid", HmacToken(Without(h, "kid"), p), TokenStatus::UnsupportedHeader);
    add("missing_typ", HmacToken(Without(h, "typ"), p), TokenStatus::UnsupportedHeader);
    add("missing_alg", HmacToken(Without(h, "alg"), p), TokenStatus::UnsupportedHeader);
    add("empty_kid", HmacToken(Header("HS256", ShareTyp(), ""), p), TokenStatus::UnsupportedHeader);
    add("kid_number", HmacToken(With(h, "kid", 1), p), TokenStatus::UnsupportedHeader);
    add("typ_null", HmacToken(With(h, "typ", nullptr), p), TokenStatus::UnsupportedHeader);
    add("extra_header_crit", HmacToken(With(h, "crit", Json::array({"exp"})), p), TokenStatus::UnsupportedHeader);
    add("extra_header_jku", HmacToken(With(h, "jku", "https://evil.example/jwks.json"), p),
        TokenStatus::UnsupportedHeader);
    add("extra_header_jwk", HmacToken(With(h, "jwk", Json{{"kty", "oct"}, {"k", B64(kSecret)}}), p),
        TokenStatus::UnsupportedHeader);
    add("extra_header_x5u", HmacToken(With(h, "x5u", "https://evil.example/cert"), p), TokenStatus::UnsupportedHeader);
    add("extra_header_zip", HmacToken(With(h, "zip", "DEF"), p), TokenStatus::UnsupportedHeader);
    add("extra_header_cty", HmacToken(With(h, "cty", "JWT"), p), TokenStatus::UnsupportedHeader);
    add("unknown_kid", HmacToken(Header("HS256", ShareTyp(), "k2"), p), TokenStatus::UnknownKey);
    // --- type ---
    add("share_token_as_session", HmacToken(h, sessionPayload), TokenStatus::WrongType, TokenType::Session);
    add("session_token_as_share", HmacToken(Header("HS256", SessionTyp()), sessionPayload), TokenStatus::WrongType);
    add("typ_JWT", HmacToken(Header("HS256", "JWT"), p), TokenStatus::WrongType);
    add("typ_case_changed", HmacToken(Header("HS256", "Studyshare-share+jwt"), p), TokenStatus::WrongType);
    add("typ_at_jwt", HmacToken(Header("HS256", "at+jwt"), p), TokenStatus::WrongType);
    // --- claims ---
    add("wrong_audience", HmacToken(h, With(p, "aud", "other-app")), TokenStatus::WrongAudience);
    add("audience_case", HmacToken(h, With(p, "aud", "StudyShare")), TokenStatus::WrongAudience);
    add("audience_array", HmacToken(h, With(p, "aud", Json::array({kAudience}))), TokenStatus::MissingClaim);
    add("wrong_issuer", HmacToken(h, With(p, "iss", "evil")), TokenStatus::WrongIssuer);
    add("missing_issuer", HmacToken(h, Without(p, "iss")), TokenStatus::MissingClaim);
    add("missing_exp", HmacToken(h, Without(p, "exp")), TokenStatus::MissingClaim);
    add("missing_jti", HmacToken(h, Without(p, "jti")), TokenStatus::MissingClaim);
    add("empty_jti", HmacToken(h, With(p, "jti", "")), TokenStatus::MissingClaim);
    add("jti_number", HmacToken(h, With(p, "jti", 7)), TokenStatus::MissingClaim);
    add("missing_aud", HmacToken(h, Without(p, "aud")), TokenStatus::MissingClaim);
    add("missing_iat", HmacToken(h, Without(p, "iat")), TokenStatus::MissingClaim);
    add("exp_as_string", HmacToken(h, With(p, "exp", std::to_string(kNow + 3600))), TokenStatus::MissingClaim);
    add("exp_as_float", HmacToken(h, With(p, "exp", static_cast<double>(kNow) + 3600.5)), TokenStatus::MissingClaim);
    add("exp_as_integral_float",
        HmacToken(h.dump(), R"({"iss":"studyshare","aud":"studyshare","jti":"share-1","iat":)" + std::to_string(kNow) +
                              R"(,"exp":)" + std::to_string(kNow + 3600) + ".0}"),
        TokenStatus::MissingClaim);
    add("exp_as_bool", HmacToken(h, With(p, "exp", true)), TokenStatus::MissingClaim);
    add("exp_null", HmacToken(h, With(p, "exp", nullptr)), TokenStatus::MissingClaim);
    add("iat_as_string", HmacToken(h, With(p, "iat", "now")), TokenStatus::MissingClaim);
    add("nbf_as_string", HmacToken(h, With(p, "nbf", "now")), TokenStatus::Malformed);
    add("nbf_as_float", HmacToken(h, With(p, "nbf", 1.5)), TokenStatus::Malformed);
    add("expired_beyond_leeway", HmacToken(h, With(p, "exp", kNow - 31)), TokenStatus::Expired);
    add("expired_at_leeway_edge", HmacToken(h, With(p, "exp", kNow - 30)), TokenStatus::Expired);
    add("expired_long_ago", HmacToken(h, With(With(With(p, "exp", 1000), "iat", 0), "nbf", 0)), TokenStatus::Expired);
    add("expired_exp_zero", HmacToken(h, With(p, "exp", 0)), TokenStatus::Expired);
    add("exp_negative_out_of_range", HmacToken(h, With(p, "exp", -1)), TokenStatus::Malformed);
    add("exp_beyond_year_9999", HmacToken(h, With(p, "exp", int64_t{253402300800})), TokenStatus::Malformed);
    add("exp_int64_max", HmacToken(h, With(p, "exp", std::numeric_limits<int64_t>::max())), TokenStatus::Malformed);
    add("exp_uint64_max", HmacToken(h, With(p, "exp", std::numeric_limits<uint64_t>::max())), TokenStatus::Malformed);
    add("iat_int64_min", HmacToken(h, With(p, "iat", std::numeric_limits<int64_t>::min())), TokenStatus::Malformed);
    add("nbf_int64_min", HmacToken(h, With(p, "nbf", std::numeric_limits<int64_t>::min())), TokenStatus::Malformed);
    add("nbf_in_future_beyond_leeway", HmacToken(h, With(p, "nbf", kNow + 31)), TokenStatus::NotYetValid);
    add("iat_in_future_beyond_leeway", HmacToken(h, With(p, "iat", kNow + 31)), TokenStatus::NotYetValid);
    add("nbf_far_future", HmacToken(h, With(With(p, "nbf", kNow + 86400), "exp", kNow + 2 * 86400)),
        TokenStatus::NotYetValid);
    add("session_missing_sid", HmacToken(Header("HS256", SessionTyp()), Payload("session-1")),
        TokenStatus::MissingClaim, TokenType::Session);
    add("session_empty_sid", HmacToken(Header("HS256", SessionTyp()), With(Payload("session-1"), "sid", "")),
        TokenStatus::MissingClaim, TokenType::Session);
    add("session_sid_number", HmacToken(Header("HS256", SessionTyp()), With(Payload("session-1"), "sid", 5)),
        TokenStatus::MissingClaim, TokenType::Session);
    // --- size ---
    add("oversized_token", HmacToken(h, With(p, "pad", std::string(4000, 'x'))), TokenStatus::TooLong);
    add("oversized_garbage", std::string(100000, 'A'), TokenStatus::TooLong);
    return a;
  }

  const std::vector<Attack>& Attacks()
  {
    static const std::vector<Attack> attacks = BuildAttacks();
    return attacks;
  }

  class TokenAttackTest : public ::testing::TestWithParam<size_t>
  {
  };
}

TEST_P(TokenAttackTest, IsRejectedWithTheExactReason)
{
  const Attack& attack = Attacks().at(GetParam());
  TokenVerifier verifier(GetKeys().verifying, Policy());
  const TokenCheck check = verifier.Verify(attack.token, attack.expected, kNow);
  EXPECT_EQ(attack.status, check.status) << attack.name << ": got " << ToString(check.status) << ", expected "
                                         << ToString(attack.status);
  EXPECT_FALSE(check.IsValid());
}

INSTANTIATE_TEST_SUITE_P(Attacks, TokenAttackTest, ::testing::Range<size_t>(0, Attacks().size()),
                         [](const ::testing::TestParamInfo<size_t>& p) { return Attacks()[p.param].name; });

TEST(TokenVerifierTests, AttackTableIsLarge)
{
  EXPECT_GE(Attacks().size(), 90u);
}

TEST(TokenVerifierTests, HandMadeReferenceTokenIsValid)
{
  // The attacks above are mutations of this token, so it must pass as is.
  TokenVerifier verifier(GetKeys().verifying, Policy());
  const TokenCheck check = verifier.Verify(HmacToken(Header(), Payload()), TokenType::Share, kNow);
  ASSERT_EQ(TokenStatus::Valid, check.status) << ToString(check.status);
  EXPECT_EQ("share-1", check.claims.id);
  EXPECT_EQ(kAudience, check.claims.audience);
  EXPECT_EQ(kNow + 3600, check.claims.expiresAt);
  EXPECT_EQ(kNow, check.claims.issuedAt);
  EXPECT_EQ(kNow, check.claims.notBefore);
  EXPECT_EQ(TokenType::Share, check.claims.type);
}

TEST(TokenVerifierTests, LeewayEdgesAreAccepted)
{
  TokenVerifier verifier(GetKeys().verifying, Policy());
  EXPECT_EQ(TokenStatus::Valid,
            verifier.Verify(HmacToken(Header(), With(Payload(), "exp", kNow - 29)), TokenType::Share, kNow).status);
  EXPECT_EQ(TokenStatus::Valid,
            verifier.Verify(HmacToken(Header(), With(Payload(), "nbf", kNow + 30)), TokenType::Share, kNow).status);
  EXPECT_EQ(TokenStatus::Valid,
            verifier.Verify(HmacToken(Header(), With(Payload(), "iat", kNow + 30)), TokenType::Share, kNow).status);
  EXPECT_EQ(TokenStatus::Valid,
            verifier.Verify(HmacToken(Header(), Without(Payload(), "nbf")), TokenType::Share, kNow).status);
}

TEST(TokenVerifierTests, ZeroLeewayIsExact)
{
  TokenPolicy policy = Policy();
  policy.leewaySeconds = 0;
  TokenVerifier verifier(GetKeys().verifying, policy);
  const std::string token = HmacToken(Header(), With(Payload(), "exp", kNow + 1));
  EXPECT_EQ(TokenStatus::Valid, verifier.Verify(token, TokenType::Share, kNow).status);
  EXPECT_EQ(TokenStatus::Expired, verifier.Verify(token, TokenType::Share, kNow + 1).status);
  EXPECT_EQ(TokenStatus::NotYetValid, verifier.Verify(token, TokenType::Share, kNow - 1).status);
}

TEST(TokenVerifierTests, TokenSizeLimitIsInclusive)
{
  TokenVerifier verifier(GetKeys().verifying, Policy());
  std::string token;
  for (size_t pad = 2500; pad < 3200; pad++)
  {
    token = HmacToken(Header(), With(Payload(), "pad", std::string(pad, 'x')));
    if (token.size() >= 4096)
    {
      break;
    }
  }
  ASSERT_GE(token.size(), 4096u);
  ASSERT_LE(token.size(), 4100u);
  const TokenStatus expected = token.size() == 4096 ? TokenStatus::Valid : TokenStatus::TooLong;
  EXPECT_EQ(expected, verifier.Verify(token, TokenType::Share, kNow).status);
  TokenPolicy big = Policy();
  big.maxTokenBytes = token.size();
  EXPECT_EQ(TokenStatus::Valid, TokenVerifier(GetKeys().verifying, big).Verify(token, TokenType::Share, kNow).status);
  big.maxTokenBytes = token.size() - 1;
  EXPECT_EQ(TokenStatus::TooLong, TokenVerifier(GetKeys().verifying, big).Verify(token, TokenType::Share, kNow).status);
}

TEST(TokenVerifierTests, LifetimeCapAppliesWhenConfigured)
{
  TokenPolicy policy = Policy();
  policy.maxLifetimeSeconds = 600;
  TokenVerifier verifier(GetKeys().verifying, policy);
  const Json session = With(Payload("session-1"), "sid", "share-1");
  EXPECT_EQ(TokenStatus::LifetimeTooLong,
            verifier.Verify(HmacToken(Header("HS256", SessionTyp()), session), TokenType::Session, kNow).status);
  EXPECT_EQ(TokenStatus::Valid, verifier
                                  .Verify(HmacToken(Header("HS256", SessionTyp()), With(session, "exp", kNow + 600)),
                                          TokenType::Session, kNow)
                                  .status);
}

TEST(TokenVerifierTests, RoundTripHs256ShareAndSession)
{
  KeyRing ring;
  ring.AddHmacKey("k1", kSecret);
  ring.SetSigningKey("k1");
  TokenSigner signer(ring);
  TokenVerifier verifier(ring, Policy());

  TokenClaims share;
  share.type = TokenType::Share;
  share.id = "AbCdEf0123456789_-xyzA";
  share.audience = kAudience;
  share.issuedAt = kNow;
  share.notBefore = kNow;
  share.expiresAt = kNow + 86400;
  const std::string shareToken = signer.Issue(share);
  const TokenCheck shareCheck = verifier.Verify(shareToken, TokenType::Share, kNow + 10);
  ASSERT_EQ(TokenStatus::Valid, shareCheck.status) << ToString(shareCheck.status);
  EXPECT_EQ(share.id, shareCheck.claims.id);
  EXPECT_EQ(share.expiresAt, shareCheck.claims.expiresAt);
  EXPECT_EQ(TokenStatus::WrongType, verifier.Verify(shareToken, TokenType::Session, kNow).status);

  TokenClaims session = share;
  session.type = TokenType::Session;
  session.id = "session-xyz";
  session.shareId = share.id;
  const std::string sessionToken = signer.Issue(session);
  const TokenCheck sessionCheck = verifier.Verify(sessionToken, TokenType::Session, kNow);
  ASSERT_EQ(TokenStatus::Valid, sessionCheck.status);
  EXPECT_EQ(share.id, sessionCheck.claims.shareId);
  EXPECT_EQ("session-xyz", sessionCheck.claims.id);
  EXPECT_EQ(TokenType::Session, sessionCheck.claims.type);
  EXPECT_EQ(TokenStatus::WrongType, verifier.Verify(sessionToken, TokenType::Share, kNow).status);

  // The header is exactly {alg, typ, kid}.
  const auto header = nlohmann::json::parse(*Base64UrlDecode(SplitToken(shareToken)[0]));
  EXPECT_EQ(3u, header.size());
  EXPECT_EQ("HS256", header["alg"]);
  EXPECT_EQ(ShareTyp(), header["typ"]);
  EXPECT_EQ("k1", header["kid"]);
}

TEST(TokenVerifierTests, RoundTripEdDsaVerifiedWithPublicKeyOnly)
{
  const Keys& keys = GetKeys();
  KeyRing signing;
  signing.AddEd25519Key("ed", keys.edPrivatePem);
  signing.SetSigningKey("ed");
  TokenClaims claims;
  claims.id = "share-ed";
  claims.audience = kAudience;
  claims.issuedAt = kNow;
  claims.notBefore = kNow;
  claims.expiresAt = kNow + 60;
  const std::string token = TokenSigner(signing).Issue(claims);
  TokenVerifier verifier(keys.verifying, Policy());
  const TokenCheck check = verifier.Verify(token, TokenType::Share, kNow);
  ASSERT_EQ(TokenStatus::Valid, check.status) << ToString(check.status);
  EXPECT_EQ("share-ed", check.claims.id);
  EXPECT_EQ("EdDSA", nlohmann::json::parse(*Base64UrlDecode(SplitToken(token)[0]))["alg"]);
}

TEST(TokenVerifierTests, WrongAudiencePolicyRejectsOurOwnTokens)
{
  TokenPolicy policy = Policy();
  policy.audience = "another-deployment";
  TokenVerifier verifier(GetKeys().verifying, policy);
  EXPECT_EQ(TokenStatus::WrongAudience, verifier.Verify(HmacToken(Header(), Payload()), TokenType::Share, kNow).status);
}

TEST(TokenVerifierTests, StatusNamesAreDistinct)
{
  std::set<std::string> names;
  for (int s = 0; s <= static_cast<int>(TokenStatus::LifetimeTooLong); s++)
  {
    names.insert(ToString(static_cast<TokenStatus>(s)));
  }
  EXPECT_EQ(static_cast<size_t>(TokenStatus::LifetimeTooLong) + 1, names.size());
  EXPECT_STREQ("valid", ToString(TokenStatus::Valid));
}

// A token signed by the key holder with extreme time claims must be judged by
// arithmetic that cannot overflow (signed overflow is undefined behaviour and
// a UBSan build aborts on it). The last second of year 9999 is the latest time
// accepted; anything later is out of range.
TEST(TokenVerifierTests, ExtremeTimeClaimsDoNotOverflow)
{
  TokenPolicy policy = Policy();
  policy.maxLifetimeSeconds = 3600;
  TokenVerifier verifier(GetKeys().verifying, policy);
  const int64_t latest = 253402300799;
  EXPECT_EQ(TokenStatus::LifetimeTooLong,
            verifier.Verify(HmacToken(Header(), With(Payload(), "exp", latest)), TokenType::Share, kNow).status);
  TokenVerifier uncapped(GetKeys().verifying, Policy());
  const TokenStatus status =
    uncapped.Verify(HmacToken(Header(), With(Payload(), "exp", latest)), TokenType::Share, kNow).status;
  EXPECT_EQ(TokenStatus::Valid, status) << "got " << ToString(status);
  EXPECT_EQ(
    TokenStatus::Malformed,
    uncapped
      .Verify(HmacToken(Header(), With(Payload(), "exp", std::numeric_limits<int64_t>::max())), TokenType::Share, kNow)
      .status);
}

TEST(TokenVerifierTests, ExtremeNowDoesNotOverflow)
{
  TokenVerifier verifier(GetKeys().verifying, Policy());
  const int64_t max = std::numeric_limits<int64_t>::max();
  EXPECT_EQ(TokenStatus::Expired, verifier.Verify(HmacToken(Header(), Payload()), TokenType::Share, max).status);
}
