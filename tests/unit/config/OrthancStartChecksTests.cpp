// SPDX-License-Identifier: GPL-3.0-or-later
#include "OrthancStartChecks.h"
#include "StudyShareConfig.h"

#include <gtest/gtest.h>

using namespace studyshare;
using Json = nlohmann::json;

namespace
{
  std::string ErrorOf(const Json& configuration)
  {
    try
    {
      StudyShareConfig::Parse(configuration);
    }
    catch (const ConfigurationError& e)
    {
      return e.what();
    }
    return "accepted";
  }
}

TEST(OrthancStartChecksTests, RemoteAccessWithoutAuthenticationKeyIsRefused)
{
  // Orthanc 1.10 turns its own login on in this case: every share link would answer 401.
  const std::string error = ErrorOf({{"RemoteAccessAllowed", true}});
  EXPECT_NE(std::string::npos, error.find("\"AuthenticationEnabled\": false")) << error;
  EXPECT_NE(std::string::npos, error.find("RemoteAccessAllowed")) << error;
  EXPECT_EQ("accepted", ErrorOf({{"RemoteAccessAllowed", true}, {"AuthenticationEnabled", false}}));
  EXPECT_EQ("accepted", ErrorOf({{"RemoteAccessAllowed", false}}));
  EXPECT_EQ("accepted", ErrorOf(Json::object()));
}

TEST(OrthancStartChecksTests, AuthenticationEnabledMustBeFalseWhenPresent)
{
  EXPECT_NE(std::string::npos, ErrorOf({{"AuthenticationEnabled", true}}).find("set 'AuthenticationEnabled' to false"));
  EXPECT_NE(std::string::npos,
            ErrorOf({{"AuthenticationEnabled", true}, {"RemoteAccessAllowed", false}}).find("AuthenticationEnabled"));
  EXPECT_NE(std::string::npos, ErrorOf({{"AuthenticationEnabled", "false"}}).find("boolean"));
}

TEST(OrthancStartChecksTests, SectionNamesCloseToStudyShareAreRefused)
{
  for (const char* name : {"Studyshare", "studyshare", "STUDYSHARE", "StudyShares", "StudyShar", "Study-Share",
                           "StudySahre", "StudyShareX", "SudyShar"})
  {
    const std::string error = ErrorOf({{name, Json::object()}});
    EXPECT_NE(std::string::npos, error.find(std::string("'") + name + "'")) << name << ": " << error;
    EXPECT_NE(std::string::npos, error.find("'StudyShare'")) << error;
  }
  // Orthanc's own sections, and names that are merely alike, are left alone.
  for (const char* name : {"StudyShare", "StorageDirectory", "DicomWeb", "StableAge", "Study", "TokenService",
                           "StudyShareXYZ", "Authorization"})
  {
    EXPECT_NO_THROW(CheckNoMisspeltSection({{name, Json::object()}})) << name;
  }
}

TEST(OrthancStartChecksTests, EditDistance)
{
  EXPECT_EQ(0u, EditDistanceAtMost("studyshare", "studyshare", 2));
  EXPECT_EQ(1u, EditDistanceAtMost("studyshares", "studyshare", 2));
  EXPECT_EQ(2u, EditDistanceAtMost("studysahre", "studyshare", 2));
  EXPECT_EQ(3u, EditDistanceAtMost("study", "studyshare", 2));  // stopped at limit + 1
  EXPECT_EQ(3u, EditDistanceAtMost("kitten", "sitting", 5));
}
