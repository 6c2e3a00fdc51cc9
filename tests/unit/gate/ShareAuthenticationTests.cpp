// SPDX-License-Identifier: GPL-3.0-or-later
// Where share and session tokens meet their share (the gate and the token
// service both use it), and the link token a share is given.
#include "ShareAuthentication.h"
#include "ShareTokens.h"

#include "GateWorld.h"

#include <gtest/gtest.h>

using namespace studyshare;
using namespace studyshare::test;

namespace
{
  struct Case
  {
    const char* name;
    std::function<std::string(const GateWorld&)> token;
    std::optional<DecisionReason> refusal;  // nothing: succeeds
    bool shareFound;
    bool isSession = false;
  };

  std::vector<Case> Cases()
  {
    auto share = [](const char* id) { return [id](const GateWorld& w) { return w.ShareToken(id); }; };
    auto session = [](const char* id) { return [id](const GateWorld& w) { return w.SessionToken(id); }; };
    return {
      {"share_open", share("open"), std::nullopt, true},
      {"session_open", session("open"), std::nullopt, true, true},
      {"session_of_password_share", session("password"), std::nullopt, true, true},
      {"session_of_exhausted_share", session("exhausted"), std::nullopt, true, true},
      {"share_password", share("password"), DecisionReason::ShareNeedsSession, true},
      {"share_code", share("code"), DecisionReason::ShareNeedsSession, true},
      {"share_birth", share("birth"), DecisionReason::ShareNeedsSession, true},
      {"share_max_uses", share("max-uses"), DecisionReason::ShareNeedsSession, true},
      {"share_exhausted", share("exhausted"), DecisionReason::ShareExhausted, true},
      {"share_expired", share("expired"), DecisionReason::ShareExpired, true},
      {"session_expired", session("expired"), DecisionReason::ShareExpired, true, true},
      {"share_revoked", share("revoked"), DecisionReason::ShareRevoked, true},
      {"session_revoked", session("revoked"), DecisionReason::ShareRevoked, true, true},
      {"share_anonymized_running", share("anon-running"), DecisionReason::SharePreparing, true},
      {"session_anonymized_running", session("anon-running"), DecisionReason::SharePreparing, true, true},
      {"share_anonymized_ready", share("anon-ready"), std::nullopt, true},
      {"share_unknown", share("ghost"), DecisionReason::ShareUnknown, false},
      {"session_unknown", session("ghost"), DecisionReason::ShareUnknown, false, true},
      {"token_expired", [](const GateWorld& w) { return w.ShareToken("open", kNow - 3600); },
       DecisionReason::TokenRejected, false},
      {"garbage", [](const GateWorld&) { return std::string("garbage"); }, DecisionReason::TokenRejected, false},
      {"empty", [](const GateWorld&) { return std::string(); }, DecisionReason::TokenRejected, false},
      {"wrong_key", [](const GateWorld&) { return HmacToken(Header(), Payload("open"), std::string(40, 'z')); },
       DecisionReason::TokenRejected, false},
    };
  }

  class ShareAuthenticationCase : public ::testing::TestWithParam<size_t>
  {
  };
}

TEST_P(ShareAuthenticationCase, Authenticates)
{
  const Case c = Cases().at(GetParam());
  GateWorld world;
  const ShareAuthentication auth = AuthenticateShareToken(world.verifier, world.store, c.token(world), kNow);
  EXPECT_EQ(!c.refusal, auth.Succeeded());
  if (c.refusal)
  {
    ASSERT_TRUE(auth.refusal.has_value());
    EXPECT_EQ(Verdict::Deny, auth.refusal->verdict);
    EXPECT_EQ(ToString(*c.refusal), std::string(ToString(auth.refusal->reason))) << auth.refusal->detail;
  }
  EXPECT_EQ(c.shareFound, auth.share != nullptr);
  if (c.shareFound && auth.share)
  {
    EXPECT_EQ(c.isSession, auth.isSession);
  }
  // Only tokens that verified reach the store.
  EXPECT_EQ((auth.tokenStatus == TokenStatus::Valid) ? 1 : 0, world.store.lookups);
}

INSTANTIATE_TEST_SUITE_P(ShareAuthenticationTests, ShareAuthenticationCase, ::testing::Range<size_t>(0, Cases().size()),
                         [](const auto& row) { return std::string(Cases().at(row.param).name); });

TEST(ShareAuthenticationTests, TheStoreBeingDownIsNotARefusal)
{
  GateWorld world;
  world.store.failing = true;
  EXPECT_THROW(AuthenticateShareToken(world.verifier, world.store, world.ShareToken("open"), kNow), StoreUnavailable);
  // A token that does not verify never reaches the store.
  EXPECT_FALSE(AuthenticateShareToken(world.verifier, world.store, "garbage", kNow).Succeeded());
}

TEST(ShareAuthenticationTests, RefusalsNeverCarryTheToken)
{
  GateWorld world;
  for (const char* id : {"password", "revoked", "ghost", "expired"})
  {
    const std::string token = world.ShareToken(id);
    const ShareAuthentication auth = AuthenticateShareToken(world.verifier, world.store, token, kNow);
    ASSERT_TRUE(auth.refusal.has_value()) << id;
    EXPECT_EQ(std::string::npos, auth.refusal->detail.find(token)) << id;
    EXPECT_NE(std::string::npos, auth.refusal->detail.find(id)) << "names the share: " << auth.refusal->detail;
  }
}

TEST(ShareTokensTests, IssueShareTokenIsDeterministicAndFollowsTheShare)
{
  GateWorld world;
  Share share;
  share.id = "share-42";
  share.createdAt = kNow - 60;
  share.expiresAt = kNow + 600;
  const std::string token = IssueShareToken(world.signer, kAudience, share);
  EXPECT_EQ(token, IssueShareToken(world.signer, kAudience, share)) << "staff can fetch the same link again";

  const TokenCheck check = world.verifier.Verify(token, TokenType::Share, kNow);
  ASSERT_EQ(TokenStatus::Valid, check.status) << ToString(check.status);
  EXPECT_EQ("share-42", check.claims.id);
  EXPECT_EQ(kAudience, check.claims.audience);
  EXPECT_EQ(kNow - 60, check.claims.issuedAt);
  EXPECT_EQ(kNow - 60, check.claims.notBefore);
  EXPECT_EQ(kNow + 600, check.claims.expiresAt);
  EXPECT_EQ(TokenStatus::WrongType, world.verifier.Verify(token, TokenType::Session, kNow).status);

  share.expiresAt.reset();
  const TokenCheck never =
    world.verifier.Verify(IssueShareToken(world.signer, kAudience, share), TokenType::Share, kNow);
  ASSERT_EQ(TokenStatus::Valid, never.status);
  EXPECT_EQ(kNow - 60 + 100LL * 365 * 24 * 3600, never.claims.expiresAt)
    << "an exp claim even when the share never ends";

  EXPECT_EQ(TokenStatus::WrongAudience,
            world.verifier.Verify(IssueShareToken(world.signer, "elsewhere", share), TokenType::Share, kNow).status);
}
