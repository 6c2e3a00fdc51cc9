// SPDX-License-Identifier: GPL-3.0-or-later
// The gate's cache of verified tokens: bounded, never past `exp` or its
// maximum age, dropped with its share, and never a reason to skip the
// share's state (revocation holds at once).
#include "VerifiedTokenCache.h"

#include "CachingShareStore.h"
#include "GateWorld.h"
#include "ShareAuthentication.h"

#include <gtest/gtest.h>

using namespace studyshare;
using namespace studyshare::test;

namespace
{
  std::shared_ptr<const TokenClaims> Claims(const std::string& shareId, int64_t expiresAt,
                                            TokenType type = TokenType::Share)
  {
    auto claims = std::make_shared<TokenClaims>();
    claims->type = type;
    claims->id = type == TokenType::Share ? shareId : "session-of-" + shareId;
    claims->shareId = type == TokenType::Session ? shareId : "";
    claims->expiresAt = expiresAt;
    return claims;
  }

  crypto::Sha256Digest Key(const std::string& token)
  {
    return crypto::Sha256Of(token);
  }
}

TEST(VerifiedTokenCacheTests, FindsWhatItRemembered)
{
  VerifiedTokenCache cache(16, 300);
  EXPECT_EQ(nullptr, cache.Find(Key("a"), kNow));
  cache.Remember(Key("a"), Claims("s1", kNow + 3600), kNow);
  ASSERT_NE(nullptr, cache.Find(Key("a"), kNow));
  EXPECT_EQ("s1", cache.Find(Key("a"), kNow)->id);
  EXPECT_EQ(nullptr, cache.Find(Key("b"), kNow)) << "another token, another key";
}

TEST(VerifiedTokenCacheTests, IsBounded)
{
  VerifiedTokenCache cache(3, 300);
  for (int i = 0; i < 50; i++)
  {
    cache.Remember(Key("token-" + std::to_string(i)), Claims("s" + std::to_string(i), kNow + 3600), kNow);
    EXPECT_LE(cache.GetSize(), 3u);
  }
  EXPECT_NE(nullptr, cache.Find(Key("token-49"), kNow)) << "the newest entry is kept";
}

TEST(VerifiedTokenCacheTests, FullOfExpiredEntriesMakesRoomWithoutDroppingLiveOnes)
{
  VerifiedTokenCache cache(3, 300);
  cache.Remember(Key("live"), Claims("s1", kNow + 3600), kNow);
  cache.Remember(Key("short-1"), Claims("s2", kNow + 5), kNow);
  cache.Remember(Key("short-2"), Claims("s3", kNow + 5), kNow);
  cache.Remember(Key("new"), Claims("s4", kNow + 3600), kNow + 10);
  EXPECT_EQ(2u, cache.GetSize());
  EXPECT_NE(nullptr, cache.Find(Key("live"), kNow + 10));
  EXPECT_NE(nullptr, cache.Find(Key("new"), kNow + 10));
}

TEST(VerifiedTokenCacheTests, NeverOutlivesTheTokensExpiry)
{
  VerifiedTokenCache cache(16, 300);
  cache.Remember(Key("a"), Claims("s1", kNow + 10), kNow);
  EXPECT_NE(nullptr, cache.Find(Key("a"), kNow + 9));
  EXPECT_EQ(nullptr, cache.Find(Key("a"), kNow + 10)) << "at exp the token is verified again (and then refused)";
  EXPECT_EQ(nullptr, cache.Find(Key("a"), kNow + 100));
}

TEST(VerifiedTokenCacheTests, NeverOutlivesItsMaximumAge)
{
  VerifiedTokenCache cache(16, 60);
  cache.Remember(Key("a"), Claims("s1", kNow + 86400), kNow);
  EXPECT_NE(nullptr, cache.Find(Key("a"), kNow + 59));
  EXPECT_EQ(nullptr, cache.Find(Key("a"), kNow + 60));
}

TEST(VerifiedTokenCacheTests, AnExpiredTokenIsNotKept)
{
  VerifiedTokenCache cache(16, 300);
  cache.Remember(Key("a"), Claims("s1", kNow - 1), kNow);  // accepted within the leeway, not cached
  EXPECT_EQ(0u, cache.GetSize());
  VerifiedTokenCache none(0, 300);
  none.Remember(Key("a"), Claims("s1", kNow + 3600), kNow);
  EXPECT_EQ(0u, none.GetSize()) << "capacity 0 keeps nothing";
}

TEST(VerifiedTokenCacheTests, ADroppedShareDropsItsShareAndSessionTokens)
{
  VerifiedTokenCache cache(16, 300);
  cache.Remember(Key("share-s1"), Claims("s1", kNow + 3600), kNow);
  cache.Remember(Key("session-s1"), Claims("s1", kNow + 3600, TokenType::Session), kNow);
  cache.Remember(Key("share-s2"), Claims("s2", kNow + 3600), kNow);
  cache.ShareDropped("s1");
  EXPECT_EQ(nullptr, cache.Find(Key("share-s1"), kNow));
  EXPECT_EQ(nullptr, cache.Find(Key("session-s1"), kNow));
  EXPECT_NE(nullptr, cache.Find(Key("share-s2"), kNow));
  cache.AllSharesDropped();
  EXPECT_EQ(0u, cache.GetSize());
}

TEST(VerifiedTokenCacheTests, RevocationThroughTheShareCacheDropsTheTokenAndRefusesAtOnce)
{
  GateWorld world;
  CachingShareStore shares(world.store, std::chrono::hours(1));
  VerifiedTokenCache verified(16, 300);
  shares.SetListener(&verified);
  const std::string token = world.ShareToken("open");

  ASSERT_TRUE(AuthenticateShareToken(world.verifier, shares, token, kNow, &verified).Succeeded());
  EXPECT_EQ(1u, verified.GetSize());
  ASSERT_TRUE(AuthenticateShareToken(world.verifier, shares, token, kNow, &verified).Succeeded()) << "from the cache";

  ASSERT_TRUE(shares.Revoke("open", kNow, Event("open", kNow, "revoke")));
  EXPECT_EQ(0u, verified.GetSize()) << "the revoked share's token is dropped";
  const ShareAuthentication after = AuthenticateShareToken(world.verifier, shares, token, kNow, &verified);
  ASSERT_FALSE(after.Succeeded());
  EXPECT_EQ(DecisionReason::ShareRevoked, after.refusal->reason);
}

TEST(VerifiedTokenCacheTests, ACachedTokenStillReadsItsShareState)
{
  GateWorld world;
  VerifiedTokenCache verified(16, 300);
  const std::string token = world.ShareToken("open");
  ASSERT_TRUE(AuthenticateShareToken(world.verifier, world.store, token, kNow, &verified).Succeeded());
  // Revoked behind the cache's back (no listener): the share is read each time.
  ASSERT_TRUE(world.sqlite.Revoke("open", kNow, Event("open", kNow, "revoke")));
  const ShareAuthentication after = AuthenticateShareToken(world.verifier, world.store, token, kNow, &verified);
  ASSERT_FALSE(after.Succeeded());
  EXPECT_EQ(DecisionReason::ShareRevoked, after.refusal->reason);
}

TEST(VerifiedTokenCacheTests, RefusedTokensAreNotKept)
{
  GateWorld world;
  VerifiedTokenCache verified(16, 300);
  EXPECT_FALSE(AuthenticateShareToken(world.verifier, world.store, "garbage", kNow, &verified).Succeeded());
  EXPECT_FALSE(
    AuthenticateShareToken(world.verifier, world.store, world.ShareToken("open", kNow - 3600), kNow, &verified)
      .Succeeded());
  EXPECT_EQ(0u, verified.GetSize());
}

TEST(VerifiedTokenCacheTests, ACachedTokenIsRefusedOnceItsExpiryPasses)
{
  GateWorld world;
  VerifiedTokenCache verified(16, 300);
  const std::string token = world.ShareToken("open", kNow + 60);
  ASSERT_TRUE(AuthenticateShareToken(world.verifier, world.store, token, kNow, &verified).Succeeded());
  const int64_t later = kNow + 60 + world.verifier.GetPolicy().leewaySeconds + 1;
  const ShareAuthentication after = AuthenticateShareToken(world.verifier, world.store, token, later, &verified);
  ASSERT_FALSE(after.Succeeded());
  EXPECT_EQ(DecisionReason::TokenRejected, after.refusal->reason);
}
