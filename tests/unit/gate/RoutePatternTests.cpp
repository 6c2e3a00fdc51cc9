// SPDX-License-Identifier: GPL-3.0-or-later
#include "RoutePattern.h"

#include "RequestGrammar.h"
#include "TestSupport.h"

#include <gtest/gtest.h>

using namespace studyshare;
using namespace studyshare::test;

namespace
{
  using Segments = std::vector<std::string>;

  PathSegments ViewsOf(const Segments& segments)
  {
    return PathSegments(segments.begin(), segments.end());
  }

  bool Matches(const std::string& pattern, const Segments& segments, std::vector<ResourceRef>* out = nullptr)
  {
    ResourceViews captured;
    const bool matched = RoutePattern(pattern).Match(ViewsOf(segments), captured);
    if (out)
    {
      out->clear();
      for (const ResourceView& view : captured)
      {
        out->push_back(view.ToRef());
      }
    }
    if (!matched)
    {
      EXPECT_TRUE(captured.empty()) << "a failed match must leave nothing captured: " << pattern;
    }
    return matched;
  }
}

TEST(RoutePatternTests, LiteralsAreCaseSensitiveAndWhole)
{
  EXPECT_TRUE(Matches("/system", {"system"}));
  EXPECT_FALSE(Matches("/system", {"System"}));
  EXPECT_FALSE(Matches("/system", {"systems"}));
  EXPECT_FALSE(Matches("/system", {"syste"}));
  EXPECT_FALSE(Matches("/system", {}));
  EXPECT_FALSE(Matches("/system", {"system", "x"}));
  EXPECT_EQ("/system", RoutePattern("/system").GetText());
}

TEST(RoutePatternTests, PlaceholdersCaptureValidIdsOnly)
{
  std::vector<ResourceRef> captured;
  ASSERT_TRUE(Matches("/studies/{study}/series", {"studies", kStudyA, "series"}, &captured));
  ASSERT_EQ(1u, captured.size());
  EXPECT_EQ((ResourceRef{ResourceLevel::Study, IdKind::OrthancId, kStudyA}), captured[0]);
  EXPECT_FALSE(Matches("/studies/{study}", {"studies", "ABC"}));
  EXPECT_FALSE(Matches("/studies/{study}", {"studies", kStudyUidA}));
  EXPECT_FALSE(Matches("/studies/{study-uid}", {"studies", kStudyA}));

  ASSERT_TRUE(Matches("/s/{study-uid}/x/{series-uid}/i/{instance-uid}",
                      {"s", kStudyUidA, "x", kSeriesUidA, "i", kSopUidA}, &captured));
  ASSERT_EQ(3u, captured.size());
  EXPECT_EQ((ResourceRef{ResourceLevel::Study, IdKind::DicomUid, kStudyUidA}), captured[0]);
  EXPECT_EQ((ResourceRef{ResourceLevel::Series, IdKind::DicomUid, kSeriesUidA}), captured[1]);
  EXPECT_EQ((ResourceRef{ResourceLevel::Instance, IdKind::DicomUid, kSopUidA}), captured[2]);

  ASSERT_TRUE(Matches("/p/{patient}", {"p", kPatientA}, &captured));
  EXPECT_EQ(ResourceLevel::Patient, captured.at(0).level);
  ASSERT_TRUE(Matches("/e/{series}/i/{instance}", {"e", kSeriesA, "i", kInstanceA}, &captured));
  EXPECT_EQ(ResourceLevel::Series, captured.at(0).level);
  EXPECT_EQ(ResourceLevel::Instance, captured.at(1).level);
}

TEST(RoutePatternTests, CapturesInsideASegment)
{
  std::vector<ResourceRef> captured;
  ASSERT_TRUE(Matches("/web-viewer/instances/{*}-{instance}_{*}",
                      {"web-viewer", "instances", "jpeg95-" + kInstanceA + "_0"}, &captured));
  ASSERT_EQ(1u, captured.size());
  EXPECT_EQ(kInstanceA, captured[0].value);
  // The compression part may itself hold a dash; the id must still be a whole Orthanc id.
  ASSERT_TRUE(Matches("/w/{*}-{instance}_{*}", {"w", "a-b-" + kInstanceA + "_12"}, &captured));
  EXPECT_EQ(kInstanceA, captured.at(0).value);
  EXPECT_FALSE(Matches("/w/{*}-{instance}_{*}", {"w", "-" + kInstanceA + "_0"}));
  EXPECT_FALSE(Matches("/w/{*}-{instance}_{*}", {"w", "jpeg-" + kInstanceA + "_"}));
  EXPECT_FALSE(Matches("/w/{*}-{instance}_{*}", {"w", "jpeg-" + kInstanceA}));
  EXPECT_FALSE(Matches("/w/{*}-{instance}_{*}", {"w", "jpeg-" + kInstanceA.substr(1) + "_0"}));
  ASSERT_TRUE(Matches("/w/prefix{study}", {"w", "prefix" + kStudyA}, &captured));
  EXPECT_EQ(kStudyA, captured.at(0).value);
  EXPECT_FALSE(Matches("/w/prefix{study}", {"w", "Prefix" + kStudyA}));
  ASSERT_TRUE(Matches("/w/{study}.zip", {"w", kStudyA + ".zip"}, &captured));
  EXPECT_FALSE(Matches("/w/{study}.zip", {"w", kStudyA + ".zipx"}));
  EXPECT_TRUE(Matches("/w/a{*}b", {"w", "axb"}));
  EXPECT_FALSE(Matches("/w/a{*}b", {"w", "ab"}));
}

TEST(RoutePatternTests, StarMatchesExactlyOneSegment)
{
  EXPECT_TRUE(Matches("/a/*/c", {"a", "anything", "c"}));
  EXPECT_FALSE(Matches("/a/*/c", {"a", "c"}));
  EXPECT_FALSE(Matches("/a/*/c", {"a", "x", "y", "c"}));
  EXPECT_TRUE(Matches("/a/*", {"a", "x"}));
  EXPECT_FALSE(Matches("/a/*", {"a"}));
  EXPECT_FALSE(Matches("/a/*", {"a", "x", "y"}));
}

TEST(RoutePatternTests, DoubleStarMatchesAnyRest)
{
  EXPECT_TRUE(Matches("/a/**", {"a"}));
  EXPECT_TRUE(Matches("/a/**", {"a", "b"}));
  EXPECT_TRUE(Matches("/a/**", {"a", "b", "c", "d"}));
  EXPECT_FALSE(Matches("/a/**", {"b"}));
  EXPECT_FALSE(Matches("/a/**", {}));
  std::vector<ResourceRef> captured;
  ASSERT_TRUE(Matches("/i/{instance}/**", {"i", kInstanceA, "frames", "0"}, &captured));
  EXPECT_EQ(1u, captured.size());
  EXPECT_FALSE(Matches("/i/{instance}/**", {"i", "nope", "frames"}));
}

TEST(RoutePatternTests, TheRootMatchesOnlyTheRoot)
{
  EXPECT_TRUE(Matches("/", {}));
  EXPECT_FALSE(Matches("/", {"a"}));
  EXPECT_FALSE(Matches("/a", {}));
}

TEST(RoutePatternTests, InvalidPatternsThrow)
{
  for (const char* bad : {"", "studies", "studies/{study}", "//", "/a//b", "/a/", "/**/a", "/a/**/b", "/{unknown}",
                          "/{Study}", "/{study", "/a/{*", "/{}", "/{study}{series}", "/{*}{study}", "/x{*}{*}"})
  {
    EXPECT_THROW(RoutePattern{bad}, std::invalid_argument) << bad;
  }
}

TEST(RoutePatternTests, ValidPatternsCompile)
{
  for (const char* good :
       {"/a", "/a/*", "/a/**", "/{study}", "/{*}-{instance}_{*}", "/x/{study-uid}/y/{series-uid}", "/a}b", "/*/**"})
  {
    EXPECT_NO_THROW(RoutePattern{good}) << good;
  }
}

TEST(RoutePatternTests, EveryDefaultRouteCompiles)
{
  // The grammar expands the configurable roots and compiles every row.
  EXPECT_NO_THROW(RequestGrammar(DefaultRouteTable(), GrammarSettings()));
  GrammarSettings custom;
  custom.dicomWebRoot = "/a/b/";
  custom.wadoRoot = "/c";
  EXPECT_NO_THROW(RequestGrammar(DefaultRouteTable(), custom));
}

// The gate reads every request, authenticated or not, so matching must stay
// cheap on long hostile segments: a naive "{*}-{instance}_{*}" matcher tries
// every split of an 8 KB run of dashes (cubic time, seconds per request).
// Two structural limits prevent that, and are checked here rather than timed:
// the grammar refuses segments longer than any route has, and a capture never
// spans more than an identifier's width.
TEST(RoutePatternTests, OverLongSegmentsAreRefusedBeforeMatching)
{
  std::string segment;
  while (segment.size() < 8000)
  {
    segment += "a-";
  }
  EXPECT_FALSE(RequestGrammar::SplitPath("/web-viewer/instances/" + segment).has_value());
  const RequestGrammar grammar(DefaultRouteTable(), GrammarSettings());
  const std::string uri = "/web-viewer/instances/" + segment;
  const RequestTarget target = grammar.Read(HttpMethod::Get, uri, kNoArguments);
  EXPECT_EQ(RouteAccess::StaffOnly, target.access);
  EXPECT_TRUE(target.IsAmbiguous());
  EXPECT_TRUE(RequestGrammar::SplitPath("/web-viewer/instances/" + std::string(256, 'a')).has_value());
  EXPECT_FALSE(RequestGrammar::SplitPath("/web-viewer/instances/" + std::string(257, 'a')).has_value());
}

TEST(RoutePatternTests, CapturesNeverSpanMoreThanAnIdentifier)
{
  const std::string id = "0123abcd-0123abcd-0123abcd-0123abcd-0123abcd";
  RoutePattern pattern("/w/{*}-{instance}_{*}");
  ResourceViews captured;
  const Segments image = {"w", "jpeg95-" + id + "_0"};  // the captures borrow it
  EXPECT_TRUE(pattern.Match(ViewsOf(image), captured));
  ASSERT_EQ(1u, captured.size());
  EXPECT_EQ(id, captured[0].value);
  captured.clear();
  // An "instance" one character longer than an Orthanc ID cannot be captured.
  EXPECT_FALSE(pattern.Match(ViewsOf({"w", "jpeg95-" + id + "a_0"}), captured));
  std::string hostile;
  while (hostile.size() < 250)
  {
    hostile += "a-";
  }
  EXPECT_FALSE(pattern.Match(ViewsOf({"w", hostile}), captured));
  EXPECT_TRUE(captured.empty());
}
