// SPDX-License-Identifier: GPL-3.0-or-later
#include "ShareApi.h"

#include "SqliteShareStore.h"
#include "TestSupport.h"

#include <gtest/gtest.h>

using namespace studyshare;
using namespace studyshare::test;

namespace
{
  class ShareApiLetterTests : public ::testing::Test
  {
  protected:
    ShareApiLetterTests()
    {
      keys.AddHmacKey("k1", kSecret);
      keys.SetSigningKey("k1");
      config.publicUrl = "https://share.example.org";
      config.letter.hospitalName = "Clinique du Lac";
      config.letter.contact = "Radiologie, 01 23 45 67 89";
      catalog.Add(kStudyA, kStudyUidA);
      api.SetShortLinks(&shortLinks);
    }

    ApiResponse Create(const std::string& extra)
    {
      return api.Create(
        R"({"Resources": [{"Level": "Study", "OrthancId": ")" + std::string(kStudyA) + R"("}])" + extra + "}",
        {{"alice", StaffRole::Sharer}, "192.0.2.1", "unit-test"});
    }

    TempDir dir;
    SqliteShareStore store{dir.File("shares.db")};
    FakeCatalog catalog;
    KeyRing keys;
    SharingSettings config;
    TokenSigner signer{keys};
    ShortLinkKeys shortLinks{std::string(32, 's')};
    ShareApi api{config, store, catalog, signer, [] { return kNow; }};
  };
}

TEST_F(ShareApiLetterTests, CreateAnswerCarriesTheLetterWithTheCodeAndTheShortLink)
{
  const ApiResponse response = Create(R"(, "ValidityDuration": 3600, "AccessCode": true, "RequireBirthDate": true,
                                         "Recipient": {"Language": "fr"})");
  ASSERT_EQ(201, response.status) << response.body.dump();
  const nlohmann::json& letter = response.body.at("Letter");
  EXPECT_EQ("fr", letter.at("Language"));
  EXPECT_EQ("Clinique du Lac", letter.at("HospitalName"));
  EXPECT_EQ("Radiologie, 01 23 45 67 89", letter.at("Contact"));
  EXPECT_FALSE(letter.at("HasLogo").get<bool>());
  EXPECT_EQ(response.body.at("ShortUrl"), letter.at("QrLink"));
  EXPECT_EQ(response.body.at("ShortUrl"), letter.at("TypedLink"));
  EXPECT_EQ(response.body.at("AccessCode"), letter.at("AccessCode"));
  EXPECT_NE(std::string::npos, letter.at("CodePageText").get<std::string>().find("https://share.example.org/share/"));
  EXPECT_EQ(nlohmann::json::array({"1 janvier 2024 \u2014 CT CHEST"}), letter.at("Studies"));
  EXPECT_EQ(1u, letter.at("Checks").size());
  EXPECT_NE(std::string::npos, letter.at("Validity").get<std::string>().find("2026"));
}

TEST_F(ShareApiLetterTests, WithoutShortLinksTheQrCodeHoldsTheFullLinkAndNothingIsToBeTyped)
{
  api.SetShortLinks(nullptr);
  config.email.defaultLanguage = "de";
  const ApiResponse response = Create("");
  ASSERT_EQ(201, response.status) << response.body.dump();
  const nlohmann::json& letter = response.body.at("Letter");
  EXPECT_EQ("de", letter.at("Language"));
  EXPECT_EQ(response.body.at("Url"), letter.at("QrLink"));
  EXPECT_EQ("", letter.at("TypedLink"));
  EXPECT_EQ("", letter.at("AccessCode"));
  EXPECT_EQ("Der Link hat kein Ablaufdatum.", letter.at("Validity"));
}

TEST_F(ShareApiLetterTests, TheLetterIsGivenOnlyAtCreation)
{
  const ApiResponse created = Create(R"(, "AccessCode": true)");
  ASSERT_EQ(201, created.status) << created.body.dump();
  const ApiResponse again = api.Get(created.body.at("ID"), {{"alice", StaffRole::Sharer}, "192.0.2.1", "unit-test"});
  ASSERT_EQ(200, again.status);
  EXPECT_FALSE(again.body.contains("Letter"));
  EXPECT_FALSE(again.body.contains("AccessCode"));
}
