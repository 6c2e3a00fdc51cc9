// SPDX-License-Identifier: GPL-3.0-or-later
#include "ShortLinkKeys.h"

#include <gtest/gtest.h>

using namespace studyshare;

TEST(ShortLinkKeysTests, KeysAre22CanonicalBase64UrlCharactersPerShare)
{
  const ShortLinkKeys keys(std::string(32, 's'));
  const std::string a = keys.KeyFor("share-a");
  EXPECT_EQ(22u, a.size());
  EXPECT_TRUE(ShortLinkKeys::IsWellFormed(a));
  EXPECT_EQ(a, keys.KeyFor("share-a"));
  EXPECT_NE(a, keys.KeyFor("share-b"));
}

TEST(ShortLinkKeysTests, AnotherServerSecretGivesOtherKeysAndDigests)
{
  const ShortLinkKeys one(std::string(32, 's'));
  const ShortLinkKeys two(std::string(32, 't'));
  EXPECT_NE(one.KeyFor("share-a"), two.KeyFor("share-a"));
  const std::string key = one.KeyFor("share-a");
  EXPECT_NE(one.Digest(key), two.Digest(key));
  EXPECT_NE(key, one.Digest(key));  // the store never holds the key itself
}

TEST(ShortLinkKeysTests, MalformedKeysAreRefused)
{
  const std::string key = ShortLinkKeys(std::string(32, 's')).KeyFor("share-a");
  EXPECT_FALSE(ShortLinkKeys::IsWellFormed(""));
  EXPECT_FALSE(ShortLinkKeys::IsWellFormed(key.substr(0, 21)));
  EXPECT_FALSE(ShortLinkKeys::IsWellFormed(key + "A"));
  EXPECT_FALSE(ShortLinkKeys::IsWellFormed(std::string(21, 'A') + "="));
  EXPECT_FALSE(ShortLinkKeys::IsWellFormed(std::string(21, 'A') + "+"));
  EXPECT_FALSE(ShortLinkKeys::IsWellFormed(std::string(21, 'A') + "B"));  // non-canonical trailing bits
  EXPECT_TRUE(ShortLinkKeys::IsWellFormed(std::string(21, 'A') + "A"));
}
