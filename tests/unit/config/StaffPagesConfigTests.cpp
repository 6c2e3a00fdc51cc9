// SPDX-License-Identifier: GPL-3.0-or-later
// Configuration keys of the staff side: DefaultValidityDuration, users'
// DisplayName, Email.SenderName and Email.TimeZone.
#include "MailTimeZone.h"
#include "StudyShareConfig.h"

#include <gtest/gtest.h>

using namespace studyshare;
using Json = nlohmann::json;

namespace
{
  std::string ErrorOf(const Json& section)
  {
    try
    {
      StudyShareConfig::Parse(Json{{"StudyShare", section}});
    }
    catch (const ConfigurationError& e)
    {
      return e.what();
    }
    return "accepted";
  }
}

TEST(StaffPagesConfigTests, DefaultValidityDurationIsThirtyDaysWithinTheMaximum)
{
  EXPECT_EQ(30 * 86400, StudyShareConfig::Parse(Json::object()).defaultValidityDuration);
  EXPECT_EQ(86400,
            StudyShareConfig::Parse(Json{{"StudyShare", {{"MaxValidityDuration", 86400}}}}).defaultValidityDuration);
  EXPECT_EQ(
    7 * 86400,
    StudyShareConfig::Parse(Json{{"StudyShare", {{"DefaultValidityDuration", 7 * 86400}}}}).defaultValidityDuration);
  EXPECT_EQ(0, StudyShareConfig::Parse(Json{{"StudyShare", {{"DefaultValidityDuration", 0}}}}).defaultValidityDuration);
  EXPECT_NE(
    std::string::npos,
    ErrorOf({{"MaxValidityDuration", 86400}, {"DefaultValidityDuration", 2 * 86400}}).find("DefaultValidityDuration"));
  EXPECT_NE(std::string::npos,
            ErrorOf({{"AllowNeverExpiring", false}, {"DefaultValidityDuration", 0}}).find("DefaultValidityDuration"));
  EXPECT_NE(std::string::npos, ErrorOf({{"DefaultValidityDuration", "30d"}}).find("DefaultValidityDuration"));
}

TEST(StaffPagesConfigTests, SenderNamesAndTimeZone)
{
  const StudyShareConfig config = StudyShareConfig::Parse(
    Json{{"StudyShare",
          {{"Users", {{"ann", {{"PasswordHash", "$argon2id$x"}, {"DisplayName", " Dr Ann Example "}}}}},
           {"Email", {{"SenderName", "Radiology"}, {"TimeZone", "Europe/Paris"}}}}}});
  EXPECT_EQ("Dr Ann Example", config.displayNames.at("ann"));
  EXPECT_EQ("Radiology", config.email.senderName);
  EXPECT_EQ("Europe/Paris", config.email.timeZone);
  const std::string error = ErrorOf({{"Email", {{"TimeZone", "Europe/Atlantis"}}}});
  EXPECT_NE(std::string::npos, error.find("StudyShare.Email.TimeZone")) << error;
  EXPECT_NE(std::string::npos, error.find("Europe/Atlantis")) << error;
}

TEST(StaffPagesConfigTests, TimeZoneOffsetsFollowDaylightSavingTime)
{
  EXPECT_TRUE(IsKnownTimeZone("America/New_York"));
  EXPECT_FALSE(IsKnownTimeZone(""));
  EXPECT_FALSE(IsKnownTimeZone("Mars/Olympus"));
  EXPECT_EQ(-4 * 3600, UtcOffsetAt("America/New_York", 1782921600));  // 2026-07-01T16:00:00Z
  EXPECT_EQ(-5 * 3600, UtcOffsetAt("America/New_York", 1767283200));  // 2026-01-01T16:00:00Z
  EXPECT_EQ(3600, UtcOffsetAt("Europe/Paris", 1767283200));
  EXPECT_EQ(0, UtcOffsetAt("UTC", 1767283200));
  EXPECT_THROW(UtcOffsetAt("Mars/Olympus", 0), std::invalid_argument);
}
