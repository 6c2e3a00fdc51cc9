// SPDX-License-Identifier: GPL-3.0-or-later
// Token types and the links built for them: the viewer URLs each viewer
// reads, the landing links handed to staff, and which types a server publishes.
#include "AuthTokenType.h"
#include "ViewerLinks.h"

#include "TestSupport.h"

#include <gtest/gtest.h>

using namespace studyshare;
using namespace studyshare::test;

namespace
{
  const std::vector<AuthTokenType> kAllTypes = {
    AuthTokenType::StoneViewerPublication,    AuthTokenType::OsimisViewerPublication,
    AuthTokenType::OhifViewerPublication,     AuthTokenType::VolviewViewerPublication,
    AuthTokenType::MeddreamViewerPublication, AuthTokenType::MeddreamInstantLink,
    AuthTokenType::ViewerInstantLink,         AuthTokenType::DownloadInstantLink};

  PublicRoots AllRoots()
  {
    PublicRoots roots;
    roots.orthancRoot = "https://pacs.example.org/orthanc/";
    roots.ohifRoot = "https://pacs.example.org/ohif/";
    roots.meddreamRoot = "https://md.example.org/";
    return roots;
  }

  const std::vector<SharedStudy> kTwoStudies = {Study(kStudyA, kStudyUidA), Study(kStudyB, kStudyUidB)};
  const std::string kToken = "eyJh.eyJi.c2ln";
}

TEST(AuthTokenTypeTests, NamesRoundTripAndUnknownNamesAreRefused)
{
  const std::string list = ListAuthTokenTypes();
  for (AuthTokenType type : kAllTypes)
  {
    const std::string name = ToString(type);
    EXPECT_EQ(type, ParseAuthTokenType(name)) << name;
    EXPECT_NE(std::string::npos, list.find(name)) << list;
  }
  EXPECT_EQ("stone-viewer-publication", std::string(ToString(AuthTokenType::StoneViewerPublication)));
  EXPECT_EQ("download-instant-link", std::string(ToString(AuthTokenType::DownloadInstantLink)));
  for (const char* name : {"invalid", "", "STONE-VIEWER-PUBLICATION", "stone", "viewer-instant-link ", "osimis"})
  {
    EXPECT_FALSE(ParseAuthTokenType(name).has_value()) << name;
  }
}

TEST(AuthTokenTypeTests, PermissionsAndViewers)
{
  const unsigned view = static_cast<unsigned>(Permission::View);
  const unsigned both = view | static_cast<unsigned>(Permission::Download);
  for (AuthTokenType type : kAllTypes)
  {
    const bool downloads =
      type == AuthTokenType::DownloadInstantLink || type == AuthTokenType::VolviewViewerPublication;
    EXPECT_EQ(downloads ? both : view, PermissionsOf(type)) << ToString(type);
  }
  EXPECT_EQ("stone", std::string(ViewerOf(AuthTokenType::StoneViewerPublication)));
  EXPECT_EQ("ohif", std::string(ViewerOf(AuthTokenType::OhifViewerPublication)));
  EXPECT_EQ("volview", std::string(ViewerOf(AuthTokenType::VolviewViewerPublication)));
  EXPECT_EQ("meddream", std::string(ViewerOf(AuthTokenType::MeddreamInstantLink)));
  EXPECT_EQ("builtin", std::string(ViewerOf(AuthTokenType::ViewerInstantLink)));
}

TEST(ViewerLinksTests, NormalizeRoot)
{
  EXPECT_EQ("", NormalizeRoot(""));
  EXPECT_EQ("https://a.example/", NormalizeRoot("https://a.example"));
  EXPECT_EQ("https://a.example/x/", NormalizeRoot("https://a.example/x/"));
}

TEST(ViewerLinksTests, IsPublishedFollowsTheConfiguredRoots)
{
  const PublicRoots none;
  for (AuthTokenType type : kAllTypes)
  {
    const bool instant = type == AuthTokenType::ViewerInstantLink || type == AuthTokenType::DownloadInstantLink;
    EXPECT_EQ(instant, IsPublished(type, none)) << ToString(type);
    EXPECT_TRUE(IsPublished(type, AllRoots())) << ToString(type);
  }
  PublicRoots orthancOnly;
  orthancOnly.orthancRoot = "https://pacs.example.org/";
  EXPECT_TRUE(IsPublished(AuthTokenType::StoneViewerPublication, orthancOnly));
  EXPECT_TRUE(IsPublished(AuthTokenType::OsimisViewerPublication, orthancOnly));
  EXPECT_TRUE(IsPublished(AuthTokenType::VolviewViewerPublication, orthancOnly));
  EXPECT_FALSE(IsPublished(AuthTokenType::OhifViewerPublication, orthancOnly));
  EXPECT_FALSE(IsPublished(AuthTokenType::MeddreamViewerPublication, orthancOnly));
  EXPECT_FALSE(IsPublished(AuthTokenType::MeddreamInstantLink, orthancOnly));
}

TEST(ViewerLinksTests, ViewerUrlsAsEachViewerReadsThem)
{
  const PublicRoots roots = AllRoots();
  const std::string uids = kStudyUidA + "," + kStudyUidB;
  const std::string ids = kStudyA + "," + kStudyB;
  EXPECT_EQ("https://pacs.example.org/orthanc/stone-webviewer/index.html?study=" + uids + "&selectedStudies=" + uids +
              "&token=" + kToken,
            BuildViewerUrl(AuthTokenType::StoneViewerPublication, kTwoStudies, kToken, roots));
  EXPECT_EQ("https://pacs.example.org/orthanc/osimis-viewer/app/index.html?pickableStudyIds=" + ids +
              "&selectedStudyIds=" + ids + "&token=" + kToken,
            BuildViewerUrl(AuthTokenType::OsimisViewerPublication, kTwoStudies, kToken, roots));
  EXPECT_EQ("https://pacs.example.org/ohif/viewer?StudyInstanceUIDs=" + uids + "&token=" + kToken,
            BuildViewerUrl(AuthTokenType::OhifViewerPublication, kTwoStudies, kToken, roots));
  EXPECT_EQ("https://pacs.example.org/orthanc/volview/index.html?names=[archive.zip]&urls=[../studies/" + kStudyA +
              "/archive,../studies/" + kStudyB + "/archive]&token=" + kToken,
            BuildViewerUrl(AuthTokenType::VolviewViewerPublication, kTwoStudies, kToken, roots));
  EXPECT_EQ("https://md.example.org/?study=" + uids + "&token=" + kToken,
            BuildViewerUrl(AuthTokenType::MeddreamViewerPublication, kTwoStudies, kToken, roots));
  EXPECT_EQ("https://md.example.org/?study=" + uids + "&token=" + kToken,
            BuildViewerUrl(AuthTokenType::MeddreamInstantLink, kTwoStudies, kToken, roots));

  PublicRoots json = roots;
  json.ohifDataSource = "dicom-json";
  EXPECT_EQ("https://pacs.example.org/ohif/viewer?url=../studies/" + kStudyA + "/ohif-dicom-json&token=" + kToken,
            BuildViewerUrl(AuthTokenType::OhifViewerPublication, {Study(kStudyA, "")}, kToken, json));
}

TEST(ViewerLinksTests, NoViewerUrlWithoutTheIdentifiersItNeedsOrItsRoot)
{
  const PublicRoots roots = AllRoots();
  const std::vector<SharedStudy> uidOnly = {Study("", kStudyUidA)};
  const std::vector<SharedStudy> idOnly = {Study(kStudyA, "")};
  const std::vector<SharedStudy> oneMissingUid = {Study(kStudyA, kStudyUidA), Study(kStudyB, "")};
  EXPECT_FALSE(BuildViewerUrl(AuthTokenType::StoneViewerPublication, idOnly, kToken, roots));
  EXPECT_FALSE(BuildViewerUrl(AuthTokenType::StoneViewerPublication, oneMissingUid, kToken, roots));
  EXPECT_FALSE(BuildViewerUrl(AuthTokenType::OsimisViewerPublication, uidOnly, kToken, roots));
  EXPECT_FALSE(BuildViewerUrl(AuthTokenType::VolviewViewerPublication, uidOnly, kToken, roots));
  EXPECT_FALSE(BuildViewerUrl(AuthTokenType::OhifViewerPublication, idOnly, kToken, roots));
  EXPECT_FALSE(BuildViewerUrl(AuthTokenType::MeddreamInstantLink, idOnly, kToken, roots));
  EXPECT_FALSE(BuildViewerUrl(AuthTokenType::StoneViewerPublication, {}, kToken, roots));
  EXPECT_FALSE(BuildViewerUrl(AuthTokenType::ViewerInstantLink, kTwoStudies, kToken, roots));
  EXPECT_FALSE(BuildViewerUrl(AuthTokenType::DownloadInstantLink, kTwoStudies, kToken, roots));
  EXPECT_FALSE(BuildViewerUrl(AuthTokenType::StoneViewerPublication, kTwoStudies, kToken, PublicRoots()));
  PublicRoots json = roots;
  json.ohifDataSource = "dicom-json";
  EXPECT_FALSE(BuildViewerUrl(AuthTokenType::OhifViewerPublication, uidOnly, kToken, json));
}

TEST(ViewerLinksTests, ArgumentsCannotBreakOutOfTheQuery)
{
  const auto url =
    BuildViewerUrl(AuthTokenType::OhifViewerPublication, {Study("", kStudyUidA)}, "a+b&c=d#e/f", AllRoots());
  ASSERT_TRUE(url.has_value());
  EXPECT_EQ("https://pacs.example.org/ohif/viewer?StudyInstanceUIDs=" + kStudyUidA + "&token=a%2Bb%26c%3Dd%23e%2Ff",
            *url);
}

TEST(ViewerLinksTests, ShareLinkPrefersTheLandingPage)
{
  PublicRoots roots = AllRoots();
  // Neither landing: the viewer itself.
  EXPECT_EQ(BuildViewerUrl(AuthTokenType::StoneViewerPublication, kTwoStudies, kToken, roots),
            BuildShareLink(AuthTokenType::StoneViewerPublication, kTwoStudies, kToken, roots));

  roots.ownLandingUrl = "https://pacs.example.org/orthanc/share/";
  EXPECT_EQ("https://pacs.example.org/orthanc/share/#token=" + kToken,
            BuildShareLink(AuthTokenType::OhifViewerPublication, kTwoStudies, kToken, roots));

  roots.landingRoot = "https://pacs.example.org/ui/app/token-landing.html?from=old";
  EXPECT_EQ("https://pacs.example.org/ui/app/token-landing.html?token=" + kToken,
            BuildShareLink(AuthTokenType::OhifViewerPublication, kTwoStudies, kToken, roots));
  EXPECT_EQ("https://pacs.example.org/ui/app/token-landing.html?token=a%26b",
            BuildShareLink(AuthTokenType::StoneViewerPublication, kTwoStudies, "a&b", roots));
  EXPECT_EQ("https://pacs.example.org/ui/app/token-landing.html?token=" + kToken,
            BuildShareLink(AuthTokenType::MeddreamViewerPublication, kTwoStudies, kToken, roots));
}

TEST(ViewerLinksTests, InstantLinksHaveNoLinkOfTheirOwnExceptMedDream)
{
  PublicRoots roots = AllRoots();
  roots.landingRoot = "https://pacs.example.org/landing";
  roots.ownLandingUrl = "https://pacs.example.org/share/";
  EXPECT_FALSE(BuildShareLink(AuthTokenType::ViewerInstantLink, kTwoStudies, kToken, roots));
  EXPECT_FALSE(BuildShareLink(AuthTokenType::DownloadInstantLink, kTwoStudies, kToken, roots));
  EXPECT_EQ("https://md.example.org/?study=" + kStudyUidA + "," + kStudyUidB + "&token=" + kToken,
            BuildShareLink(AuthTokenType::MeddreamInstantLink, kTwoStudies, kToken, roots));
}
