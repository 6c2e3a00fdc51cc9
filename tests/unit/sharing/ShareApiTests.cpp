// SPDX-License-Identifier: GPL-3.0-or-later
#include "ShareApi.h"

#include "AccessCode.h"
#include "SqliteShareStore.h"
#include "TestSupport.h"
#include "TokenVerifier.h"

#include <gtest/gtest.h>

using namespace studyshare;
using namespace studyshare::test;

namespace
{
  class ShareApiTests : public ::testing::Test
  {
  protected:
    ShareApiTests()
    {
      keys.AddHmacKey("k1", kSecret);
      keys.SetSigningKey("k1");
      config.publicUrl = "https://share.example.org";
      catalog.Add(kStudyA, kStudyUidA);
      catalog.Add(kStudyB, kStudyUidB, "");
      catalog.Add(kStudyC, kStudyUidShared);
      catalog.Add("11111111-22222222-33333333-44444444-55555555", kStudyUidShared);
    }

    ApiCaller Caller(const std::string& name, StaffRole role = StaffRole::Sharer)
    {
      return {{name, role}, "192.0.2.1", "unit-test"};
    }

    std::string StudyBody(const std::string& id, const std::string& extra = "")
    {
      return R"({"Resources": [{"Level": "study", "OrthancId": ")" + id + R"("}])" + extra + "}";
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

TEST_F(ShareApiTests, CreateReturnsATokenTheVerifierAccepts)
{
  const ApiResponse response = api.Create(StudyBody(kStudyA, R"(, "ValidityDuration": 3600)"), Caller("alice"));
  ASSERT_EQ(201, response.status) << response.body.dump();
  const std::string id = response.body.at("ID");
  const std::string token = response.body.at("Token");
  TokenPolicy policy;
  policy.audience = config.audience;
  const TokenCheck check = TokenVerifier(keys, policy).Verify(token, TokenType::Share, kNow);
  ASSERT_EQ(TokenStatus::Valid, check.status) << ToString(check.status);
  EXPECT_EQ(id, check.claims.id);
  EXPECT_EQ(kNow + 3600, check.claims.expiresAt);
  EXPECT_EQ("https://share.example.org/share/#token=" + token, response.body.at("Url"));
  EXPECT_EQ("2026-01-01T01:00:00Z", response.body.at("ExpirationDate"));
  EXPECT_FALSE(response.body.contains("AccessCode"));

  const auto stored = store.Lookup(id);
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ("alice", stored->createdBy);
  ASSERT_EQ(1u, stored->studies.size());
  EXPECT_EQ(kStudyUidA, stored->studies[0].dicomUid);
  EXPECT_EQ("DOE^JANE", stored->studies[0].patientName);
  EXPECT_TRUE(stored->OpensDirectly());
  const auto audit = store.ListAudit(id);
  ASSERT_EQ(1u, audit.size());
  EXPECT_EQ("create", audit[0].event);
  EXPECT_EQ("alice", audit[0].actor);
}

TEST_F(ShareApiTests, NeverExpiringShareStillHasAnExpiringToken)
{
  const ApiResponse response = api.Create(StudyBody(kStudyA), Caller("alice"));
  ASSERT_EQ(201, response.status);
  EXPECT_TRUE(response.body.at("ExpirationDate").is_null());
  TokenPolicy policy;
  policy.audience = config.audience;
  const TokenCheck check =
    TokenVerifier(keys, policy).Verify(response.body.at("Token").get<std::string>(), TokenType::Share, kNow);
  ASSERT_TRUE(check.IsValid());
  EXPECT_GT(check.claims.expiresAt, kNow + 50LL * 365 * 86400);
}

TEST_F(ShareApiTests, ProtectionsAreStoredHashed)
{
  const ApiResponse response = api.Create(
    StudyBody(kStudyA,
              R"(, "Password": "pw-123", "AccessCode": true, "MaxUses": 2, "Permissions": ["View", "Download"])"),
    Caller("alice"));
  ASSERT_EQ(201, response.status) << response.body.dump();
  const std::string code = response.body.at("AccessCode");
  const auto stored = store.Lookup(response.body.at("ID"));
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(0u, stored->passwordHash.find("$argon2id$"));
  EXPECT_EQ(std::string::npos, stored->passwordHash.find("pw-123"));
  EXPECT_EQ(AccessCode::Digest(*AccessCode::Normalize(code)), stored->accessCodeHash);
  EXPECT_EQ(2, stored->maxUses);
  EXPECT_TRUE(stored->Has(Permission::Download));
  EXPECT_FALSE(stored->OpensDirectly());
}

TEST_F(ShareApiTests, BadInputIs400AndStoresNothing)
{
  struct Case
  {
    std::string body;
    const char* messagePart;
  };
  for (const Case& c : std::vector<Case>{
         {StudyBody(kStudyB.substr(0, 43) + "0"), "no study"},
         {StudyBody("00000000-00000000-00000000-00000000-00000000"), "no study"},
         {R"({"Resources": [{"Level": "Study", "DicomUid": "1.2.3.4"}]})", "no study"},
         {R"({"Resources": [{"Level": "Study", "DicomUid": ")" + kStudyUidShared + R"("}]})", "several"},
         {R"({"Resources": [{"Level": "Study", "OrthancId": ")" + kStudyA + R"(", "DicomUid": ")" + kStudyUidB +
            R"("}]})",
          "does not have"},
         {R"({"Resources": [{"Level": "Study", "OrthancId": ")" + kStudyA + R"("}, {"Level": "Study", "DicomUid": ")" +
            kStudyUidA + R"("}]})",
          "twice"},
         {StudyBody(kStudyB, R"(, "RequireBirthDate": true)"), "PatientBirthDate"},
         {StudyBody(kStudyA, R"(, "Bogus": 1)"), "Bogus"},
         {"not json", "JSON"},
       })
  {
    const ApiResponse response = api.Create(c.body, Caller("alice"));
    EXPECT_EQ(400, response.status) << c.body;
    EXPECT_EQ("bad-request", response.body.value("Error", ""));
    EXPECT_NE(std::string::npos, response.body.value("Message", "").find(c.messagePart))
      << c.body << " -> " << response.body.dump();
  }
  ShareFilter all;
  EXPECT_TRUE(store.List(all).empty());
}

TEST_F(ShareApiTests, CatalogDownIs503AndStoresNothing)
{
  catalog.unavailable = true;
  EXPECT_EQ(503, api.Create(StudyBody(kStudyA), Caller("alice")).status);
  EXPECT_TRUE(store.List(ShareFilter()).empty());
}

TEST_F(ShareApiTests, ShareByDicomUid)
{
  const ApiResponse response =
    api.Create(R"({"Resources": [{"Level": "Study", "DicomUid": ")" + kStudyUidA + R"("}]})", Caller("alice"));
  ASSERT_EQ(201, response.status) << response.body.dump();
  EXPECT_EQ(kStudyA, response.body.at("Studies").at(0).at("OrthancId"));
}

TEST_F(ShareApiTests, SharersSeeOnlyTheirOwnShares)
{
  const std::string aliceShare = api.Create(StudyBody(kStudyA), Caller("alice")).body.at("ID");
  const std::string bobShare = api.Create(StudyBody(kStudyA), Caller("bob")).body.at("ID");

  EXPECT_EQ(404, api.Get(aliceShare, Caller("bob")).status);
  EXPECT_EQ(404, api.Audit(aliceShare, Caller("bob")).status);
  EXPECT_EQ(404, api.Revoke(aliceShare, Caller("bob")).status);
  EXPECT_FALSE(store.Lookup(aliceShare)->revokedAt.has_value());
  EXPECT_EQ(200, api.Get(bobShare, Caller("bob")).status);

  const ApiResponse bobList = api.List({}, Caller("bob"));
  ASSERT_EQ(200, bobList.status);
  ASSERT_EQ(1u, bobList.body.size());
  EXPECT_EQ(bobShare, bobList.body[0].at("ID"));

  const ApiResponse adminList = api.List({}, Caller("root", StaffRole::Admin));
  EXPECT_EQ(2u, adminList.body.size());
  EXPECT_EQ(200, api.Get(aliceShare, Caller("root", StaffRole::Admin)).status);
  EXPECT_EQ(404, api.Get("does-not-exist", Caller("root", StaffRole::Admin)).status);
}

TEST_F(ShareApiTests, RevokeAndAudit)
{
  const std::string id = api.Create(StudyBody(kStudyA), Caller("alice")).body.at("ID");
  now = kNow + 60;
  const ApiResponse revoked = api.Revoke(id, Caller("alice"));
  ASSERT_EQ(200, revoked.status);
  EXPECT_EQ("revoked", revoked.body.at("State"));
  EXPECT_EQ("2026-01-01T00:01:00Z", revoked.body.at("RevokedAt"));
  const ApiResponse audit = api.Audit(id, Caller("alice"));
  ASSERT_EQ(200, audit.status);
  ASSERT_EQ(2u, audit.body.size());
  EXPECT_EQ("create", audit.body[0].at("Event"));
  EXPECT_EQ("revoke", audit.body[1].at("Event"));
  // The token is the same link again, and it names the same share.
  EXPECT_EQ(api.Get(id, Caller("alice")).body.at("Token"), api.IssueShareToken(*store.Lookup(id)));
}

TEST_F(ShareApiTests, AuditOfRequestBytesThatAreNotUtf8IsStillJson)
{
  const std::string id = api.Create(StudyBody(kStudyA), Caller("alice")).body.at("ID");
  // As a recipient's open, or a download, writes it: the raw header bytes.
  store.AppendAudit({id, kNow + 1, "open", "success", "", "192.0.2.9\xFF", "curl/8 \xC0\xAF\xFF"});
  const ApiResponse audit = api.Audit(id, Caller("alice"));
  ASSERT_EQ(200, audit.status);
  std::string text;
  ASSERT_NO_THROW(text = audit.body.dump());
  EXPECT_EQ("curl/8 \xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD", audit.body[1].at("UserAgent"));
  EXPECT_EQ("192.0.2.9\xEF\xBF\xBD", store.ListAudit(id)[1].clientAddress) << "sanitized when stored";
}

TEST_F(ShareApiTests, BirthDateShareOfSeveralPatientsIsRefused)
{
  const std::string twoPatients = R"({"Resources": [{"Level": "Study", "OrthancId": ")" + kStudyA +
                                  R"("}, {"Level": "Study", "OrthancId": ")" + kStudyC +
                                  R"("}], "RequireBirthDate": true})";
  const ApiResponse refused = api.Create(twoPatients, Caller("alice"));
  EXPECT_EQ(400, refused.status) << refused.body.dump();
  EXPECT_NE(std::string::npos, refused.body.value("Message", "").find("more than one patient"));
  ShareFilter all;
  EXPECT_TRUE(store.List(all).empty()) << "nothing stored";

  // Without the challenge the same two studies may be shared.
  const std::string plain = R"({"Resources": [{"Level": "Study", "OrthancId": ")" + kStudyA +
                            R"("}, {"Level": "Study", "OrthancId": ")" + kStudyC + R"("}]})";
  EXPECT_EQ(201, api.Create(plain, Caller("alice")).status);

  // Two studies of one patient (same PatientID and birth date) keep working.
  catalog.Add(kStudyA.substr(0, 4) + "aaaa-00000000-00000000-00000000-00000000", "1.2.3.4.5.6");
  const std::string onePatient = R"({"Resources": [{"Level": "Study", "OrthancId": ")" + kStudyA +
                                 R"("}, {"Level": "Study", "DicomUid": "1.2.3.4.5.6"}], "RequireBirthDate": true})";
  const ApiResponse accepted = api.Create(onePatient, Caller("alice"));
  EXPECT_EQ(201, accepted.status) << accepted.body.dump();

  // Same PatientID but another birth date on file: refused too.
  catalog.Add(kStudyA.substr(0, 4) + "bbbb-00000000-00000000-00000000-00000000", "1.2.3.4.5.7", "19800101");
  const std::string otherDate = R"({"Resources": [{"Level": "Study", "OrthancId": ")" + kStudyA +
                                R"("}, {"Level": "Study", "DicomUid": "1.2.3.4.5.7"}], "RequireBirthDate": true})";
  EXPECT_EQ(400, api.Create(otherDate, Caller("alice")).status);
}

TEST_F(ShareApiTests, ListArguments)
{
  api.Create(StudyBody(kStudyA), Caller("alice"));
  const std::string other = api.Create(StudyBody(kStudyC), Caller("alice")).body.at("ID");
  api.Revoke(other, Caller("alice"));
  EXPECT_EQ(1u, api.List({{"study", kStudyC}}, Caller("alice")).body.size());
  EXPECT_EQ(1u, api.List({{"active", "true"}}, Caller("alice")).body.size());
  EXPECT_EQ(2u, api.List({{"active", "0"}}, Caller("alice")).body.size());
  EXPECT_EQ(400, api.List({{"active", "yes"}}, Caller("alice")).status);
  EXPECT_EQ(400, api.List({{"createdBy", "bob"}}, Caller("alice")).status);
}
