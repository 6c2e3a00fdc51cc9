// SPDX-License-Identifier: GPL-3.0-or-later
#include "ShareRequest.h"

#include "TestSupport.h"

#include <gtest/gtest.h>

using namespace studyshare;
using namespace studyshare::test;

namespace
{
  ShareRequestLimits Limits()
  {
    ShareRequestLimits limits;
    limits.now = kNow;
    limits.maxValidityDuration = 30 * 86400;
    limits.allowNeverExpiring = true;
    limits.maxStudies = 3;
    return limits;
  }

  std::string Body(const std::string& extra = "")
  {
    return R"({"Resources": [{"Level": "Study", "OrthancId": ")" + kStudyA + R"("}])" + extra + "}";
  }

  struct BadCase
  {
    const char* name;
    std::string body;
    const char* messagePart;  // the message must say what is wrong
  };

  std::vector<BadCase> BadCases()
  {
    const std::string big(70 * 1024, ' ');
    return {
      {"not_json", "{Resources:", "not valid JSON"},
      {"empty_body", "", "not valid JSON"},
      {"array_body", "[]", "JSON object"},
      {"string_body", "\"x\"", "JSON object"},
      {"too_large", "{" + big + "}", "64 KiB"},
      {"unknown_field", Body(R"(, "Pasword": "x")"), "Pasword"},
      {"unknown_field_lowercase", Body(R"(, "password": "x")"), "password"},
      {"missing_resources", R"({"Permissions": ["View"]})", "Resources"},
      {"resources_not_array", R"({"Resources": {"Level": "Study"}})", "Resources"},
      {"resources_empty", R"({"Resources": []})", "at least one"},
      {"resource_not_object", R"({"Resources": ["abc"]})", "Resources[0]"},
      {"resource_unknown_field", R"({"Resources": [{"Level": "Study", "OrthancId": ")" + kStudyA + R"(", "Id": 1}]})",
       "Resources[0].Id"},
      {"resource_level_series", R"({"Resources": [{"Level": "Series", "OrthancId": ")" + kSeriesA + R"("}]})", "Level"},
      {"resource_level_missing", R"({"Resources": [{"OrthancId": ")" + kStudyA + R"("}]})", "Level"},
      {"resource_level_number", R"({"Resources": [{"Level": 2, "OrthancId": ")" + kStudyA + R"("}]})", "Level"},
      {"resource_no_id", R"({"Resources": [{"Level": "Study"}]})", "OrthancId or a DicomUid"},
      {"resource_bad_orthanc_id", R"({"Resources": [{"Level": "Study", "OrthancId": "abc"}]})", "OrthancId"},
      {"resource_uppercase_orthanc_id",
       R"({"Resources": [{"Level": "Study", "OrthancId": "6B9E19D9-62094390-5F9DDB01-4A191AE7-E7C01C29"}]})",
       "OrthancId"},
      {"resource_bad_uid", R"({"Resources": [{"Level": "Study", "DicomUid": "1.2.x"}]})", "DicomUid"},
      {"resource_uid_number", R"({"Resources": [{"Level": "Study", "DicomUid": 1.2}]})", "DicomUid"},
      {"second_resource_bad", R"({"Resources": [{"Level": "Study", "DicomUid": "1.2.3"}, {"Level": "Study"}]})",
       "Resources[1]"},
      {"too_many_studies",
       R"({"Resources": [{"Level":"Study","DicomUid":"1.1"},{"Level":"Study","DicomUid":"1.2"},)"
       R"({"Level":"Study","DicomUid":"1.3"},{"Level":"Study","DicomUid":"1.4"}]})",
       "more than 3"},
      {"duration_and_date", Body(R"(, "ValidityDuration": 60, "ExpirationDate": "2026-01-02T00:00:00Z")"), "not both"},
      {"duration_string", Body(R"(, "ValidityDuration": "60")"), "ValidityDuration"},
      {"duration_float", Body(R"(, "ValidityDuration": 60.5)"), "ValidityDuration"},
      {"duration_negative", Body(R"(, "ValidityDuration": -1)"), "negative"},
      {"duration_too_long", Body(R"(, "ValidityDuration": 2592001)"), "maximum"},
      {"date_without_zone", Body(R"(, "ExpirationDate": "2026-01-02T00:00:00")"), "ExpirationDate"},
      {"date_only", Body(R"(, "ExpirationDate": "2026-01-02")"), "ExpirationDate"},
      {"date_number", Body(R"(, "ExpirationDate": 1767312000)"), "ExpirationDate"},
      {"date_in_past", Body(R"(, "ExpirationDate": "2025-12-31T23:59:59Z")"), "past"},
      {"date_now", Body(R"(, "ExpirationDate": "2026-01-01T00:00:00Z")"), "past"},
      {"date_too_far", Body(R"(, "ExpirationDate": "2027-01-01T00:00:00Z")"), "maximum"},
      {"date_invalid_day", Body(R"(, "ExpirationDate": "2026-02-29T00:00:00Z")"), "ExpirationDate"},
      {"permissions_not_array", Body(R"(, "Permissions": "View")"), "Permissions"},
      {"permissions_unknown", Body(R"(, "Permissions": ["View", "Delete"])"), "Permissions"},
      {"permissions_lowercase", Body(R"(, "Permissions": ["view"])"), "Permissions"},
      {"permissions_without_view", Body(R"(, "Permissions": ["Download"])"), "View"},
      {"permissions_empty", Body(R"(, "Permissions": [])"), "View"},
      {"max_uses_zero", Body(R"(, "MaxUses": 0)"), "MaxUses"},
      {"max_uses_negative", Body(R"(, "MaxUses": -3)"), "MaxUses"},
      {"max_uses_huge", Body(R"(, "MaxUses": 1000001)"), "MaxUses"},
      {"max_uses_string", Body(R"(, "MaxUses": "3")"), "MaxUses"},
      {"password_empty", Body(R"(, "Password": "")"), "Password"},
      {"password_number", Body(R"(, "Password": 1234)"), "Password"},
      {"password_too_long", Body(R"(, "Password": ")" + std::string(1025, 'p') + "\""), "Password"},
      {"birth_date_string", Body(R"(, "RequireBirthDate": "yes")"), "RequireBirthDate"},
      {"birth_date_null", Body(R"(, "RequireBirthDate": null)"), "RequireBirthDate"},
      {"access_code_number", Body(R"(, "AccessCode": 1)"), "AccessCode"},
      {"anonymize_with_birth_date", Body(R"(, "Anonymize": true, "RequireBirthDate": true)"), "RequireBirthDate"},
      {"allow_burned_in_without_anonymize", Body(R"(, "AllowBurnedInAnnotation": true)"), "Anonymize"},
      {"allow_burned_in_string", Body(R"(, "Anonymize": true, "AllowBurnedInAnnotation": "yes")"),
       "AllowBurnedInAnnotation"},
      {"anonymize_string", Body(R"(, "Anonymize": "no")"), "Anonymize"},
      {"viewer_unknown", Body(R"(, "Viewer": "horos")"), "Viewer"},
      {"viewer_number", Body(R"(, "Viewer": 3)"), "Viewer"},
      {"recipient_string", Body(R"(, "Recipient": "a@b.c")"), "Recipient"},
      {"note_number", Body(R"(, "Note": 5)"), "Note"},
      {"note_too_long", Body(R"(, "Note": ")" + std::string(2001, 'n') + "\""), "Note"},
      {"label_missing", R"({"Resources": [{"Level": "Label"}]})", "Resources[0].Label"},
      {"label_empty", R"({"Resources": [{"Level": "Label", "Label": ""}]})", "1 to 64"},
      {"label_too_long", R"({"Resources": [{"Level": "Label", "Label": ")" + std::string(65, 'a') + R"("}]})",
       "1 to 64"},
      {"label_space", R"({"Resources": [{"Level": "Label", "Label": "my label"}]})", "1 to 64"},
      {"label_slash", R"({"Resources": [{"Level": "Label", "Label": "a/b"}]})", "1 to 64"},
      {"label_dot", R"({"Resources": [{"Level": "Label", "Label": ".."}]})", "1 to 64"},
      {"label_not_ascii", R"({"Resources": [{"Level": "Label", "Label": "t\u00e9aching"}]})", "1 to 64"},
      {"label_number", R"({"Resources": [{"Level": "Label", "Label": 7}]})", "Label"},
      {"label_with_orthanc_id",
       R"({"Resources": [{"Level": "Label", "Label": "teaching", "OrthancId": ")" + kStudyA + R"("}]})",
       "Resources[0].OrthancId"},
      {"two_labels", R"({"Resources": [{"Level": "Label", "Label": "a"}, {"Level": "Label", "Label": "b"}]})",
       "one label"},
      {"label_and_study",
       R"({"Resources": [{"Level": "Study", "OrthancId": ")" + kStudyA + R"("}, {"Level": "Label", "Label": "a"}]})",
       "one label"},
      {"label_anonymized", R"({"Resources": [{"Level": "Label", "Label": "a"}], "Anonymize": true})", "Anonymize"},
      {"label_birth_date", R"({"Resources": [{"Level": "Label", "Label": "a"}], "RequireBirthDate": true})",
       "RequireBirthDate"},
    };
  }

  class ShareRequestBadInput : public ::testing::TestWithParam<size_t>
  {
  };
}

TEST_P(ShareRequestBadInput, IsABadRequestThatSaysWhy)
{
  const BadCase c = BadCases().at(GetParam());
  try
  {
    ShareRequest::Parse(c.body, Limits());
    ADD_FAILURE() << c.name << " was accepted";
  }
  catch (const BadRequest& e)
  {
    EXPECT_NE(std::string::npos, std::string(e.what()).find(c.messagePart)) << c.name << ": " << e.what();
  }
  catch (const std::exception& e)
  {
    ADD_FAILURE() << c.name << " threw something other than BadRequest: " << e.what();
  }
}

INSTANTIATE_TEST_SUITE_P(Table, ShareRequestBadInput, ::testing::Range<size_t>(0, BadCases().size()),
                         [](const ::testing::TestParamInfo<size_t>& p)
                         { return std::string(BadCases()[p.param].name); });

TEST(ShareRequestTests, MinimalRequestHasSafeDefaults)
{
  const ShareRequest request = ShareRequest::Parse(Body(), Limits());
  ASSERT_EQ(1u, request.studies.size());
  EXPECT_EQ(kStudyA, request.studies[0].orthancId);
  EXPECT_FALSE(request.studies[0].dicomUid.has_value());
  EXPECT_FALSE(request.expiresAt.has_value());
  EXPECT_EQ(static_cast<unsigned>(Permission::View), request.permissions);
  EXPECT_FALSE(request.maxUses.has_value());
  EXPECT_TRUE(request.password.empty());
  EXPECT_FALSE(request.requireBirthDate);
  EXPECT_FALSE(request.accessCode);
  EXPECT_TRUE(request.viewer.empty());
}

TEST(ShareRequestTests, FullRequest)
{
  const std::string body = R"({"Resources": [{"Level": "study", "DicomUid": ")" + kStudyUidA +
                           R"("}, {"Level": "STUDY", "OrthancId": ")" + kStudyB + R"(", "DicomUid": ")" + kStudyUidB +
                           R"("}], "ValidityDuration": 3600, "Permissions": ["View", "Download"], "MaxUses": 3,
                               "Password": "s3cret", "RequireBirthDate": true, "AccessCode": true, "Anonymize": false,
                               "Viewer": "Stone", "Recipient": {"Email": "p@example.org"}, "Note": "second opinion"})";
  const ShareRequest request = ShareRequest::Parse(body, Limits());
  ASSERT_EQ(2u, request.studies.size());
  EXPECT_EQ(kStudyUidA, request.studies[0].dicomUid);
  EXPECT_EQ(kStudyB, request.studies[1].orthancId);
  EXPECT_EQ(kStudyUidB, request.studies[1].dicomUid);
  EXPECT_EQ(kNow + 3600, request.expiresAt);
  EXPECT_EQ(3u, request.permissions);
  EXPECT_EQ(3, request.maxUses);
  EXPECT_EQ("s3cret", request.password);
  EXPECT_TRUE(request.requireBirthDate);
  EXPECT_TRUE(request.accessCode);
  EXPECT_EQ("stone", request.viewer);
  EXPECT_EQ(nlohmann::json::parse(R"({"Email": "p@example.org"})"), nlohmann::json::parse(request.recipientJson));
  EXPECT_EQ("second opinion", request.note);
}

TEST(ShareRequestTests, ExpiryForms)
{
  EXPECT_FALSE(ShareRequest::Parse(Body(R"(, "ValidityDuration": 0)"), Limits()).expiresAt.has_value());
  EXPECT_FALSE(ShareRequest::Parse(Body(R"(, "ValidityDuration": null)"), Limits()).expiresAt.has_value());
  EXPECT_EQ(kNow + 30 * 86400, ShareRequest::Parse(Body(R"(, "ValidityDuration": 2592000)"), Limits()).expiresAt);
  EXPECT_EQ(kNow + 86400 - 3600,
            ShareRequest::Parse(Body(R"(, "ExpirationDate": "2026-01-02T00:00:00+01:00")"), Limits()).expiresAt);
  ShareRequestLimits strict = Limits();
  strict.allowNeverExpiring = false;
  EXPECT_THROW(ShareRequest::Parse(Body(), strict), BadRequest);
  EXPECT_THROW(ShareRequest::Parse(Body(R"(, "ValidityDuration": 0)"), strict), BadRequest);
  EXPECT_EQ(kNow + 60, ShareRequest::Parse(Body(R"(, "ValidityDuration": 60)"), strict).expiresAt);
}

TEST(ShareRequestTests, NullsMeanAbsent)
{
  const ShareRequest request =
    ShareRequest::Parse(Body(R"(, "MaxUses": null, "Password": null, "Recipient": null, "Note": null)"), Limits());
  EXPECT_FALSE(request.maxUses.has_value());
  EXPECT_TRUE(request.password.empty());
  EXPECT_TRUE(request.recipientJson.empty());
}

TEST(ShareRequestTests, AShareByLabelNamesTheLabelAndNoStudy)
{
  for (const std::string level : {"Label", "label", "LABEL"})
  {
    const ShareRequest request = ShareRequest::Parse(
      R"({"Resources": [{"Level": ")" + level + R"(", "Label": "Teaching_2024-b"}], "Password": "pw"})", Limits());
    ASSERT_TRUE(request.label);
    EXPECT_EQ("Teaching_2024-b", *request.label);
    EXPECT_TRUE(request.studies.empty());
    EXPECT_EQ("pw", request.password);
  }
  const ShareRequest longest =
    ShareRequest::Parse(R"({"Resources": [{"Level": "Label", "Label": ")" + std::string(64, 'x') + R"("}]})", Limits());
  EXPECT_EQ(std::string(64, 'x'), longest.label.value_or(""));
  EXPECT_FALSE(ShareRequest::Parse(Body(), Limits()).label);
}
