// SPDX-License-Identifier: GPL-3.0-or-later
#include "AccessLetter.h"

#include <gtest/gtest.h>

using namespace studyshare;

namespace
{
  const int64_t kNewYear2027 = 1798761600;  // 2027-01-01T00:00:00Z

  LetterFacts ShortLinkFacts()
  {
    LetterFacts facts;
    facts.language = "en";
    facts.studies = {{"20261202", "CT CHEST"}};
    facts.link = "https://pacs.example.org/s/#AAAAAAAAAAAAAAAAAAAAAA";
    facts.linkIsShort = true;
    facts.expiresAt = kNewYear2027 + 10 * 3600;
    return facts;
  }

  LetterSettings Hospital()
  {
    LetterSettings settings;
    settings.hospitalName = "Hôpital Saint-Exemple";
    settings.contact = "Radiology desk\n+33 1 23 45 67 89";
    return settings;
  }
}

TEST(AccessLetterTests, ShortLinkLetterNamesTheStudyTheLinkTheEndAndWhoToCall)
{
  const AccessLetter letter = AccessLetter::Build(ShortLinkFacts(), Hospital());
  EXPECT_EQ("en", letter.language);
  EXPECT_EQ("Hôpital Saint-Exemple", letter.hospitalName);
  EXPECT_FALSE(letter.hasLogo);
  ASSERT_EQ(1u, letter.studies.size());
  EXPECT_EQ("2 December 2026 \u2014 CT CHEST", letter.studies[0]);
  EXPECT_EQ("https://pacs.example.org/s/#AAAAAAAAAAAAAAAAAAAAAA", letter.qrLink);
  EXPECT_EQ(letter.qrLink, letter.typedLink);
  EXPECT_FALSE(letter.typeText.empty());
  EXPECT_TRUE(letter.accessCode.empty());
  EXPECT_TRUE(letter.codeText.empty());
  EXPECT_TRUE(letter.codePageText.empty());
  EXPECT_TRUE(letter.checks.empty());
  EXPECT_EQ("The link works until 1 January 2027, 10:00 (UTC).", letter.validity);
  EXPECT_EQ("Radiology desk\n+33 1 23 45 67 89", letter.contact);
  EXPECT_FALSE(letter.contactHeading.empty());
}

TEST(AccessLetterTests, AFullLinkGoesInTheQrCodeButIsNeverToBeTyped)
{
  LetterFacts facts = ShortLinkFacts();
  facts.link = "https://pacs.example.org/share/#" + std::string(360, 'x');
  facts.linkIsShort = false;
  const AccessLetter letter = AccessLetter::Build(facts, Hospital());
  EXPECT_EQ(facts.link, letter.qrLink);
  EXPECT_TRUE(letter.typedLink.empty());
  EXPECT_TRUE(letter.typeText.empty());
}

TEST(AccessLetterTests, AccessCodeAndChallengesAreSpelledOut)
{
  LetterFacts facts = ShortLinkFacts();
  facts.accessCode = "ABCD-EFGH-JKLM";
  facts.codePageUrl = "https://pacs.example.org/share/";
  facts.birthDateRequired = true;
  facts.passwordRequired = true;
  facts.emailCodeRequired = true;
  const AccessLetter letter = AccessLetter::Build(facts, Hospital());
  EXPECT_EQ("ABCD-EFGH-JKLM", letter.accessCode);
  EXPECT_FALSE(letter.codeText.empty());
  EXPECT_NE(std::string::npos, letter.codePageText.find("https://pacs.example.org/share/"));
  EXPECT_EQ(std::string::npos, letter.codePageText.find('{'));
  EXPECT_EQ(3u, letter.checks.size());
}

TEST(AccessLetterTests, EveryLanguageHasItsOwnSentencesAndDates)
{
  LetterFacts facts = ShortLinkFacts();
  facts.accessCode = "ABCD-EFGH-JKLM";
  facts.codePageUrl = "https://pacs.example.org/share/";
  const std::string english = AccessLetter::Build(facts, Hospital()).title;
  const struct
  {
    const char* language;
    const char* study;
    const char* validity;
  } cases[] = {
    {"fr", "2 décembre 2026 \u2014 CT CHEST", "Le lien fonctionne jusqu'au 1 janvier 2027 à 10:00 (UTC)."},
    {"de", "2. Dezember 2026 \u2014 CT CHEST", "Der Link funktioniert bis 1. Januar 2027, 10:00 Uhr (UTC)."},
    {"es", "2 de diciembre de 2026 \u2014 CT CHEST", "El enlace funciona hasta el 1 de enero de 2027, 10:00 (UTC)."}};
  for (const auto& c : cases)
  {
    facts.language = c.language;
    const AccessLetter letter = AccessLetter::Build(facts, Hospital());
    EXPECT_EQ(c.language, letter.language);
    EXPECT_NE(english, letter.title) << c.language;
    EXPECT_EQ(c.study, letter.studies.at(0));
    EXPECT_EQ(c.validity, letter.validity);
    EXPECT_EQ(std::string::npos, letter.codePageText.find('{')) << c.language;
  }
}

TEST(AccessLetterTests, UnknownLanguageNoDescriptionAndNoExpiryFallBackToWords)
{
  LetterFacts facts = ShortLinkFacts();
  facts.language = "it";
  facts.studies = {{"", ""}, {"garbage", "MR KNEE"}};
  facts.expiresAt.reset();
  facts.timeZoneName = "Europe/Paris";
  const AccessLetter letter = AccessLetter::Build(facts, LetterSettings());
  EXPECT_EQ("en", letter.language);
  EXPECT_EQ((std::vector<std::string>{"Imaging study", "garbage \u2014 MR KNEE"}), letter.studies);
  EXPECT_EQ("The link has no end date.", letter.validity);
  EXPECT_TRUE(letter.hospitalName.empty());
  EXPECT_TRUE(letter.contact.empty());
  EXPECT_TRUE(letter.contactHeading.empty());
}

TEST(AccessLetterTests, ExpiryIsGivenInTheSiteZoneWithItsName)
{
  LetterFacts facts = ShortLinkFacts();
  facts.utcOffsetSeconds = 3600;
  facts.timeZoneName = "Europe/Paris";
  EXPECT_EQ("The link works until 1 January 2027, 11:00 (Europe/Paris, UTC+01:00).",
            AccessLetter::Build(facts, Hospital()).validity);
}

TEST(AccessLetterTests, JsonRoundTripKeepsEveryField)
{
  LetterFacts facts = ShortLinkFacts();
  facts.accessCode = "ABCD-EFGH-JKLM";
  facts.codePageUrl = "https://pacs.example.org/share/";
  facts.birthDateRequired = true;
  LetterSettings settings = Hospital();
  settings.logoPng = "png bytes";
  const AccessLetter letter = AccessLetter::Build(facts, settings);
  const nlohmann::json json = letter.ToJson();
  EXPECT_TRUE(json["HasLogo"].get<bool>());
  EXPECT_EQ("ABCD-EFGH-JKLM", json["AccessCode"]);
  const AccessLetter back = AccessLetter::FromJson(json);
  EXPECT_EQ(json, back.ToJson());
}

TEST(AccessLetterTests, MalformedJsonIsRefusedWithTheFieldName)
{
  nlohmann::json json = AccessLetter::Build(ShortLinkFacts(), Hospital()).ToJson();
  for (const char* field : {"Title", "HasLogo", "Studies", "Checks", "QrLink"})
  {
    nlohmann::json broken = json;
    broken[field] = 42;
    try
    {
      AccessLetter::FromJson(broken);
      ADD_FAILURE() << field << " accepted";
    }
    catch (const std::invalid_argument& e)
    {
      EXPECT_NE(std::string::npos, std::string(e.what()).find(field)) << e.what();
    }
  }
  json["QrLink"] = "";
  EXPECT_THROW(AccessLetter::FromJson(json), std::invalid_argument);
  EXPECT_THROW(AccessLetter::FromJson(nlohmann::json::array()), std::invalid_argument);
}

TEST(AccessLetterTests, PngSignatureCheck)
{
  std::string png("\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR\0\0\0\x10\0\0\0\x10", 24);
  EXPECT_TRUE(LooksLikePng(png));
  EXPECT_FALSE(LooksLikePng(png.substr(0, 23)));
  EXPECT_FALSE(LooksLikePng("GIF89a" + png.substr(6)));
  std::string empty = png;
  empty[19] = '\0';  // width 0
  EXPECT_FALSE(LooksLikePng(empty));
}
