// SPDX-License-Identifier: GPL-3.0-or-later
// The staff REST API on API keys: admins only, bad input is a 400 that says
// what is wrong and stores nothing, the key is shown once (issue 20, point 3).
#include "ApiKeyApi.h"
#include "SqliteShareStore.h"

#include "TestSupport.h"

#include <gtest/gtest.h>

using namespace studyshare;
using namespace studyshare::test;

namespace
{
  class ApiKeyApiTest : public ::testing::Test
  {
  protected:
    ApiKeyApiTest()
      : store(dir.File("shares.db")), keys(store, "server-key", [this] { return now; }),
        api(keys, [this] { return now; })
    {
    }

    static ApiCaller Caller(StaffRole role)
    {
      return {{role == StaffRole::Admin ? "root" : "sam", role}, "192.0.2.1", "unit-test"};
    }

    TempDir dir;
    SqliteShareStore store;
    int64_t now = kNow;
    StaffApiKeys keys;
    ApiKeyApi api;
  };
}

TEST_F(ApiKeyApiTest, CreateShowsTheKeyOnceAndListShowsEverythingElse)
{
  const ApiResponse created =
    api.Create(R"({"Name": "ris", "Role": "sharer", "ValidityDuration": 86400})", Caller(StaffRole::Admin));
  ASSERT_EQ(201, created.status) << created.body.dump();
  const std::string key = created.body["Key"];
  EXPECT_EQ(0u, key.rfind("ssk_", 0));
  EXPECT_EQ("sharer", created.body["Role"]);
  EXPECT_EQ("2026-01-02T00:00:00Z", created.body["ExpirationDate"]);

  EXPECT_TRUE(keys.Check(key, "192.0.2.5").user.has_value());
  now += 10;
  const ApiResponse listed = api.List(Caller(StaffRole::Admin));
  ASSERT_EQ(200, listed.status);
  ASSERT_EQ(1u, listed.body.size());
  const nlohmann::json& row = listed.body[0];
  EXPECT_EQ(created.body["ID"], row["ID"]);
  EXPECT_EQ("ris", row["Name"]);
  EXPECT_EQ("root", row["CreatedBy"]);
  EXPECT_EQ("2026-01-01T00:00:00Z", row["CreatedDate"]);
  EXPECT_EQ("2026-01-01T00:00:00Z", row["LastUsedDate"]);
  EXPECT_EQ("active", row["State"]);
  EXPECT_EQ(std::string::npos, listed.body.dump().find(key.substr(4)));

  const ApiResponse revoked = api.Revoke(row["ID"], Caller(StaffRole::Admin));
  EXPECT_EQ(200, revoked.status);
  EXPECT_EQ("revoked", api.List(Caller(StaffRole::Admin)).body[0]["State"]);
  EXPECT_FALSE(keys.Check(key, "192.0.2.5").user.has_value());
  EXPECT_EQ(404, api.Revoke("nope", Caller(StaffRole::Admin)).status);
}

TEST_F(ApiKeyApiTest, OnlyAdminsManageKeys)
{
  EXPECT_EQ(403, api.Create(R"({"Name": "ris", "Role": "sharer"})", Caller(StaffRole::Sharer)).status);
  EXPECT_EQ(403, api.List(Caller(StaffRole::Sharer)).status);
  EXPECT_EQ(403, api.Revoke("x", Caller(StaffRole::Sharer)).status);
  EXPECT_TRUE(store.ListApiKeys().empty());
}

TEST_F(ApiKeyApiTest, BadInputIsA400ThatNamesTheFieldAndStoresNothing)
{
  for (const char* body :
       {"", "[]", "{}", R"({"Name": "", "Role": "admin"})", R"({"Name": "has space", "Role": "admin"})",
        R"({"Name": "ris", "Role": "owner"})", R"({"Name": "ris"})", R"({"Name": "ris", "Role": "admin", "X": 1})",
        R"({"Name": "ris", "Role": "admin", "ValidityDuration": -1})",
        R"({"Name": "ris", "Role": "admin", "ValidityDuration": "7d"})"})
  {
    const ApiResponse answer = api.Create(body, Caller(StaffRole::Admin));
    EXPECT_EQ(400, answer.status) << body;
    EXPECT_FALSE(answer.body.value("Message", "").empty()) << body;
  }
  EXPECT_TRUE(store.ListApiKeys().empty());
  const ApiResponse never =
    api.Create(R"({"Name": "ris", "Role": "admin", "ValidityDuration": 0})", Caller(StaffRole::Admin));
  EXPECT_EQ(201, never.status);
  EXPECT_TRUE(never.body["ExpirationDate"].is_null());
}
