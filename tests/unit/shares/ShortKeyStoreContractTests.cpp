// SPDX-License-Identifier: GPL-3.0-or-later
// The store contract for short-link key digests, on SQLite and PostgreSQL alike.
#include "ShareStoreContract.h"

using namespace studyshare;
using namespace studyshare::test;

template <typename Backend>
class ShortKeyStoreContract : public ShareStoreContract<Backend>
{
};

TYPED_TEST_SUITE(ShortKeyStoreContract, StoreKinds, StoreNames);

TYPED_TEST(ShortKeyStoreContract, FindsTheShareByItsDigestOnly)
{
  IShareStore& store = this->Store();
  store.Create(MakeShare("s1", "alice", kNow), Event("s1", kNow, "create"));
  store.Create(MakeShare("s2", "alice", kNow), Event("s2", kNow, "create"));
  store.SetShortKey("s1", "digest-1");
  store.SetShortKey("s2", "digest-2");
  ASSERT_TRUE(store.FindByShortKey("digest-1").has_value());
  EXPECT_EQ("s1", store.FindByShortKey("digest-1")->id);
  EXPECT_EQ("s2", store.FindByShortKey("digest-2")->id);
  EXPECT_FALSE(store.FindByShortKey("digest-3").has_value());
  EXPECT_FALSE(store.FindByShortKey("").has_value());
}

TYPED_TEST(ShortKeyStoreContract, SettingAgainReplacesTheOldKey)
{
  IShareStore& store = this->Store();
  store.Create(MakeShare("s1", "alice", kNow), Event("s1", kNow, "create"));
  store.SetShortKey("s1", "old");
  store.SetShortKey("s1", "new");
  EXPECT_FALSE(store.FindByShortKey("old").has_value());
  ASSERT_TRUE(store.FindByShortKey("new").has_value());
  EXPECT_EQ("s1", store.FindByShortKey("new")->id);
}

TYPED_TEST(ShortKeyStoreContract, ARevokedShareIsStillFoundSoItsStateCanBeSaid)
{
  IShareStore& store = this->Store();
  store.Create(MakeShare("s1", "alice", kNow), Event("s1", kNow, "create"));
  store.SetShortKey("s1", "digest-1");
  ASSERT_TRUE(store.Revoke("s1", kNow + 1, Event("s1", kNow + 1, "revoke")));
  const auto found = store.FindByShortKey("digest-1");
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(ShareState::Revoked, found->StateAt(kNow + 2));
}
