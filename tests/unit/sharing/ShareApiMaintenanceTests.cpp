// SPDX-License-Identifier: GPL-3.0-or-later
// ShareApi on existing shares: the locked state and its end, unlocking, a new
// access code, who may do it, and how e-mails name the sender.
#include "ShareApi.h"

#include "AccessCode.h"
#include "IsoTime.h"
#include "SqliteShareStore.h"
#include "TestSupport.h"

#include <gtest/gtest.h>

using namespace studyshare;
using namespace studyshare::test;

namespace
{
  class ShareApiMaintenanceTests : public ::testing::Test
  {
  protected:
    ShareApiMaintenanceTests()
    {
      keys.AddHmacKey("k1", kSecret);
      keys.SetSigningKey("k1");
      config.publicUrl = "https://share.example.org";
      config.maxFailedAttempts = 3;
      config.lockoutSeconds = 600;
      catalog.Add(kStudyA, kStudyUidA);
    }

    ApiCaller Caller(const std::string& name, StaffRole role = StaffRole::Sharer)
    {
      return {{name, role}, "192.0.2.1", "unit-test"};
    }

    std::string CreateShare(const std::string& extra = "")
    {
      const ApiResponse created = api.Create(
        R"({"Resources": [{"Level": "Study", "OrthancId": ")" + std::string(kStudyA) + R"("}])" + extra + "}",
        Caller("alice"));
      EXPECT_EQ(201, created.status) << created.body.dump();
      return created.body.at("ID");
    }

    TempDir dir;
    SqliteShareStore store{dir.File("shares.db")};
    FakeCatalog catalog;
    KeyRing keys;
    SharingSettings config;
    TokenSigner signer{keys};
    int64_t now = kNow;
    ShareApi api{config, store, catalog, signer, [this] { return now; }};
  };
}

TEST_F(ShareApiMaintenanceTests, ALockedShareSaysUntilWhen)
{
  const std::string id = CreateShare(R"(, "Password": "pw")");
  store.RecordFailedAttempt(id, "192.0.2.9", kNow - 100);
  store.RecordFailedAttempt(id, "192.0.2.9", kNow - 50);
  EXPECT_EQ("active", api.Get(id, Caller("alice")).body.at("State"));
  EXPECT_TRUE(api.Get(id, Caller("alice")).body.at("LockedUntil").is_null());

  store.RecordFailedAttempt(id, "192.0.2.9", kNow - 10);
  const ApiResponse locked = api.Get(id, Caller("alice"));
  EXPECT_EQ("locked", locked.body.at("State"));
  // Three failures in 600 s lock it; the oldest of them (kNow - 100) ages out at kNow + 501.
  EXPECT_EQ(FormatIsoTime(kNow + 501), locked.body.at("LockedUntil"));

  now = kNow + 501;
  EXPECT_EQ("active", api.Get(id, Caller("alice")).body.at("State"));
}

TEST_F(ShareApiMaintenanceTests, UnlockForgetsTheFailuresAndIsAudited)
{
  const std::string id = CreateShare(R"(, "Password": "pw")");
  for (int i = 0; i < 3; i++)
  {
    store.RecordFailedAttempt(id, "192.0.2.9", kNow);
  }
  EXPECT_EQ(404, api.Unlock(id, Caller("bob")).status);  // a sharer cannot touch another's share
  EXPECT_EQ("locked", api.Get(id, Caller("alice")).body.at("State"));

  const ApiResponse unlocked = api.Unlock(id, Caller("alice"));
  ASSERT_EQ(200, unlocked.status) << unlocked.body.dump();
  EXPECT_EQ("active", unlocked.body.at("State"));
  EXPECT_EQ(0, store.CountFailedAttempts(id, 0));
  const AuditEvent last = store.ListAudit(id).back();
  EXPECT_EQ("unlock", last.event);
  EXPECT_EQ("alice", last.actor);
  EXPECT_EQ(200, api.Unlock(id, Caller("root", StaffRole::Admin)).status);
  EXPECT_EQ(404, api.Unlock("nope", Caller("alice")).status);
}

TEST_F(ShareApiMaintenanceTests, ANewAccessCodeReplacesTheOldOne)
{
  const ApiResponse created = api.Create(
    R"({"Resources": [{"Level": "Study", "OrthancId": ")" + std::string(kStudyA) + R"("}], "AccessCode": true})",
    Caller("alice"));
  ASSERT_EQ(201, created.status);
  const std::string id = created.body.at("ID");
  const std::string oldCode = created.body.at("AccessCode");

  EXPECT_EQ(404, api.ReplaceAccessCode(id, Caller("bob")).status);
  const ApiResponse replaced = api.ReplaceAccessCode(id, Caller("alice"));
  ASSERT_EQ(200, replaced.status) << replaced.body.dump();
  const std::string newCode = replaced.body.at("AccessCode");
  EXPECT_NE(oldCode, newCode);
  EXPECT_FALSE(store.FindByAccessCode(AccessCode::Digest(*AccessCode::Normalize(oldCode))).has_value());
  EXPECT_EQ(id, store.FindByAccessCode(AccessCode::Digest(*AccessCode::Normalize(newCode)))->id);
  EXPECT_EQ("access-code", store.ListAudit(id).back().event);
  EXPECT_FALSE(api.Get(id, Caller("alice")).body.contains("AccessCode"));  // shown once

  const std::string withoutCode = CreateShare();
  EXPECT_EQ(400, api.ReplaceAccessCode(withoutCode, Caller("alice")).status);
  api.Revoke(id, Caller("alice"));
  EXPECT_EQ(400, api.ReplaceAccessCode(id, Caller("alice")).status);
}

TEST_F(ShareApiMaintenanceTests, LimitErrorsSpeakInDays)
{
  config.maxValidityDuration = 30 * 86400;
  const ApiResponse refused = api.Create(R"({"Resources": [{"Level": "Study", "OrthancId": ")" + std::string(kStudyA) +
                                           R"("}], "ValidityDuration": 7776000})",
                                         Caller("alice"));
  ASSERT_EQ(400, refused.status);
  const std::string message = refused.body.at("Message");
  EXPECT_NE(std::string::npos, message.find("at most 30 days")) << message;
  EXPECT_NE(std::string::npos, message.find("90 days asked")) << message;
  EXPECT_EQ(std::string::npos, message.find("seconds")) << message;
}
