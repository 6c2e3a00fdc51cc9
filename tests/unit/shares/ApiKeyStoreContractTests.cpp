// SPDX-License-Identifier: GPL-3.0-or-later
// The store contract for staff API keys, on SQLite and PostgreSQL alike.
#include "ShareStoreContract.h"

using namespace studyshare;
using namespace studyshare::test;

namespace
{
  StaffApiKey MakeKey(const std::string& id, const std::string& digest, int64_t createdAt)
  {
    StaffApiKey key;
    key.id = id;
    key.name = "ris-" + id;
    key.role = "sharer";
    key.digest = digest;
    key.createdBy = "admin";
    key.createdAt = createdAt;
    return key;
  }
}

template <typename Backend>
class ApiKeyStoreContract : public ShareStoreContract<Backend>
{
};

TYPED_TEST_SUITE(ApiKeyStoreContract, StoreKinds, StoreNames);

TYPED_TEST(ApiKeyStoreContract, CreateFindAndListKeepEveryField)
{
  IShareStore& store = this->Store();
  StaffApiKey key = MakeKey("k1", std::string(64, 'a'), kNow);
  key.role = "admin";
  key.expiresAt = kNow + 86400;
  store.CreateApiKey(key, Event(ApiKeyAuditSubject("k1"), kNow, "api-key-create"));
  store.CreateApiKey(MakeKey("k2", std::string(64, 'b'), kNow + 1),
                     Event(ApiKeyAuditSubject("k2"), kNow + 1, "api-key-create"));

  const auto found = this->OtherNode().FindApiKey(std::string(64, 'a'));
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ("k1", found->id);
  EXPECT_EQ("ris-k1", found->name);
  EXPECT_EQ("admin", found->role);
  EXPECT_EQ("admin", found->createdBy);
  EXPECT_EQ(kNow, found->createdAt);
  EXPECT_EQ(kNow + 86400, found->expiresAt);
  EXPECT_FALSE(found->lastUsedAt.has_value());
  EXPECT_FALSE(found->revokedAt.has_value());
  EXPECT_FALSE(store.FindApiKey(std::string(64, 'c')).has_value());

  const auto keys = store.ListApiKeys();
  ASSERT_EQ(2u, keys.size());
  EXPECT_EQ("k1", keys[0].id);
  EXPECT_EQ("k2", keys[1].id);
  EXPECT_FALSE(keys[1].expiresAt.has_value());
  ASSERT_EQ(1u, store.ListAudit(ApiKeyAuditSubject("k1")).size());
  EXPECT_EQ("api-key-create", store.ListAudit(ApiKeyAuditSubject("k1"))[0].event);
}

TYPED_TEST(ApiKeyStoreContract, TwoKeysCannotShareADigest)
{
  IShareStore& store = this->Store();
  store.CreateApiKey(MakeKey("k1", std::string(64, 'a'), kNow), Event(ApiKeyAuditSubject("k1"), kNow, "create"));
  EXPECT_ANY_THROW(
    store.CreateApiKey(MakeKey("k2", std::string(64, 'a'), kNow), Event(ApiKeyAuditSubject("k2"), kNow, "create")));
  EXPECT_EQ(1u, store.ListApiKeys().size());
  EXPECT_TRUE(store.ListAudit(ApiKeyAuditSubject("k2")).empty());
}

TYPED_TEST(ApiKeyStoreContract, RevocationIsSeenByAnotherNodeAndKeepsTheFirstDate)
{
  IShareStore& store = this->Store();
  store.CreateApiKey(MakeKey("k1", std::string(64, 'a'), kNow), Event(ApiKeyAuditSubject("k1"), kNow, "create"));
  EXPECT_TRUE(store.RevokeApiKey("k1", kNow + 10, Event(ApiKeyAuditSubject("k1"), kNow + 10, "revoke")));
  EXPECT_TRUE(store.RevokeApiKey("k1", kNow + 20, Event(ApiKeyAuditSubject("k1"), kNow + 20, "revoke")));
  EXPECT_FALSE(store.RevokeApiKey("nope", kNow, Event(ApiKeyAuditSubject("nope"), kNow, "revoke")));
  const auto found = this->OtherNode().FindApiKey(std::string(64, 'a'));
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(kNow + 10, found->revokedAt);
  EXPECT_FALSE(found->IsUsableAt(kNow + 11));
  EXPECT_TRUE(this->OtherNode().ListAudit(ApiKeyAuditSubject("nope")).empty());
}

TYPED_TEST(ApiKeyStoreContract, LastUseOnlyMovesForward)
{
  IShareStore& store = this->Store();
  store.CreateApiKey(MakeKey("k1", std::string(64, 'a'), kNow), Event(ApiKeyAuditSubject("k1"), kNow, "create"));
  store.MarkApiKeyUsed("k1", kNow + 100);
  this->OtherNode().MarkApiKeyUsed("k1", kNow + 50);
  EXPECT_EQ(kNow + 100, store.FindApiKey(std::string(64, 'a'))->lastUsedAt);
}
