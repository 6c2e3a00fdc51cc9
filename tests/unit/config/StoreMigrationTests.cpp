// SPDX-License-Identifier: GPL-3.0-or-later
// migrate-store's core: from a SQLite store into each kind of store.
#include "StoreMigration.h"
#include "shares/ShareStoreContract.h"

using namespace studyshare;
using namespace studyshare::test;

template <typename Backend>
class StoreMigration : public ShareStoreContract<Backend>
{
protected:
  TempDir dir;
  SqliteShareStore source{dir.File("source.db")};
};
TYPED_TEST_SUITE(StoreMigration, StoreKinds, StoreNames);

TYPED_TEST(StoreMigration, CopiesSharesAuditAndUsesAndCanRunTwice)
{
  Share limited = MakeShare("s1", "alice", kNow, {Study(kStudyA, kStudyUidA), Study(kStudyB, kStudyUidB)});
  limited.maxUses = 5;
  limited.passwordHash = "$argon2id$x";
  this->source.Create(limited, Event("s1", kNow, "create"));
  this->source.ConsumeUse("s1");
  this->source.ConsumeUse("s1");
  this->source.AppendAudit(Event("s1", kNow + 1, "open", "success"));
  this->source.Create(MakeShare("s2", "bob", kNow + 5), Event("s2", kNow + 5, "create"));
  this->source.Revoke("s2", kNow + 6, Event("s2", kNow + 6, "revoke"));

  IShareStore& target = this->Store();
  const StoreMigrationReport first = MigrateStore(this->source, target);
  EXPECT_EQ(2, first.shares);
  EXPECT_EQ(2, first.copied);
  EXPECT_EQ(4, first.auditEvents);
  const auto copied = target.Lookup("s1");
  ASSERT_TRUE(copied);
  EXPECT_EQ(2, copied->uses);
  EXPECT_EQ(5, copied->maxUses);
  EXPECT_EQ(2u, copied->studies.size());
  EXPECT_EQ(kNow + 6, target.Lookup("s2")->revokedAt);
  EXPECT_EQ(2u, target.ListAudit("s1").size());

  const StoreMigrationReport second = MigrateStore(this->source, target);
  EXPECT_EQ(0, second.copied);
  EXPECT_EQ(2, second.alreadyThere);
  EXPECT_EQ(2u, target.ListAudit("s1").size());  // nothing doubled
}

TYPED_TEST(StoreMigration, RefusesToOverwriteADifferentShare)
{
  this->source.Create(MakeShare("s1", "alice", kNow), Event("s1", kNow, "create"));
  IShareStore& target = this->Store();
  target.Create(MakeShare("s1", "mallory", kNow), Event("s1", kNow, "create"));
  EXPECT_THROW(MigrateStore(this->source, target), StoreMigrationConflict);
  EXPECT_EQ("mallory", target.Lookup("s1")->createdBy);
}

TYPED_TEST(StoreMigration, CopiesApiKeysWithTheirStateAndAuditOnce)
{
  StaffApiKey key;
  key.id = "k1";
  key.name = "ris";
  key.role = "admin";
  key.digest = std::string(64, 'd');
  key.createdBy = "root";
  key.createdAt = kNow;
  this->source.CreateApiKey(key, Event(ApiKeyAuditSubject("k1"), kNow, "api-key-create"));
  this->source.RevokeApiKey("k1", kNow + 5, Event(ApiKeyAuditSubject("k1"), kNow + 5, "api-key-revoke"));

  IShareStore& target = this->Store();
  EXPECT_EQ(1, MigrateStore(this->source, target).apiKeys);
  EXPECT_EQ(1, MigrateStore(this->source, target).apiKeys);
  const auto copied = target.FindApiKey(std::string(64, 'd'));
  ASSERT_TRUE(copied);
  EXPECT_EQ("ris", copied->name);
  EXPECT_EQ(kNow + 5, copied->revokedAt);
  EXPECT_EQ(2u, target.ListAudit(ApiKeyAuditSubject("k1")).size());
}
