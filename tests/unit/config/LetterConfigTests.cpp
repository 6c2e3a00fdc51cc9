// SPDX-License-Identifier: GPL-3.0-or-later
#include "StudyShareConfig.h"

#include "TestSupport.h"

#include <gtest/gtest.h>

#include <fstream>

using namespace studyshare;
using namespace studyshare::test;
using Json = nlohmann::json;

namespace
{
  const std::string kTinyPng("\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0", 29);

  Json WithLetter(const Json& letter)
  {
    return Json{{"StudyShare", {{"Letter", letter}}}};
  }

  std::string ErrorOf(const Json& letter)
  {
    try
    {
      StudyShareConfig::Parse(WithLetter(letter));
    }
    catch (const ConfigurationError& e)
    {
      return e.what();
    }
    return "accepted";
  }

  std::string WriteFile(const TempDir& dir, const std::string& name, const std::string& content)
  {
    const std::string path = dir.File(name);
    std::ofstream(path, std::ios::binary) << content;
    return path;
  }
}

TEST(LetterConfigTests, NoSectionMeansALetterWithoutLetterhead)
{
  const StudyShareConfig config = StudyShareConfig::Parse(Json::object());
  EXPECT_TRUE(config.letter.hospitalName.empty());
  EXPECT_TRUE(config.letter.contact.empty());
  EXPECT_TRUE(config.letter.logoPng.empty());
}

TEST(LetterConfigTests, ReadsNameContactAndTheLogosBytes)
{
  TempDir dir;
  const std::string logo = WriteFile(dir, "logo.png", kTinyPng);
  const StudyShareConfig config = StudyShareConfig::Parse(
    WithLetter({{"HospitalName", " Hôpital Nord "}, {"Contact", "Radiology\n+33 1 00 00 00 00"}, {"LogoFile", logo}}));
  EXPECT_EQ("Hôpital Nord", config.letter.hospitalName);
  EXPECT_EQ("Radiology\n+33 1 00 00 00 00", config.letter.contact);
  EXPECT_EQ(kTinyPng, config.letter.logoPng);
}

TEST(LetterConfigTests, RefusesUnknownKeysWrongTypesAndBadLogos)
{
  TempDir dir;
  EXPECT_NE(std::string::npos, ErrorOf({{"HospitalNmae", "x"}}).find("'StudyShare.Letter.HospitalNmae'"));
  EXPECT_NE(std::string::npos, ErrorOf({{"Contact", 12}}).find("'StudyShare.Letter.Contact' must be a string"));
  EXPECT_NE(std::string::npos, ErrorOf(Json::array()).find("'StudyShare.Letter' must be a JSON object"));
  EXPECT_NE(std::string::npos, ErrorOf({{"HospitalName", std::string(1001, 'x')}}).find("longer than"));
  EXPECT_NE(std::string::npos, ErrorOf({{"LogoFile", dir.File("missing.png")}}).find("cannot read"));
  const std::string gif = WriteFile(dir, "logo.gif", "GIF89a not a png at all, but long enough");
  EXPECT_NE(std::string::npos, ErrorOf({{"LogoFile", gif}}).find("is not a PNG image"));
  const std::string huge = WriteFile(dir, "huge.png", kTinyPng + std::string(1024 * 1024, '\0'));
  EXPECT_NE(std::string::npos, ErrorOf({{"LogoFile", huge}}).find("larger than 1 MiB"));
}
