// SPDX-License-Identifier: GPL-3.0-or-later
#include "RoutePattern.h"

#include "RequestGrammar.h"
#include "TestSupport.h"

#include <gtest/gtest.h>

#include <chrono>

using namespace studyshare;
using namespace studyshare::test;

namespace
{
  using Segments = std::vector<std::string>;

  bool Matches(const std::string& pattern, const Segments& segments, std::vector<ResourceRef>* out = nullptr)
  {
    std::vector<ResourceRef> captured;
    const bool matched = RoutePattern(pattern).Match(segments, captured);
    if (out)
    {
      *out = captured;
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

  ASSERT_TRUE(Matches("/s/{study-uid}/x/{series-uid}/i/{instance-uid}", {"s", kStudyUidA, "x", kSeriesUidA, "i", kSopUidA},
                      &captured));
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
  ASSERT_TRUE(Matches("/web-viewer/instances/{*}-{instance}_{*}", {"web-viewer", "instances", "jpeg95-" + kInstanceA + "_0"},
                      &captured));
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

TEST(RoutePatternTests, InvalidPatternsThrow)
{
  for (const char* bad : {"", "studies", "studies/{study}", "/", "/a//b", "/a/", "/**/a", "/a/**/b", "/{unknown}",
                          "/{Study}", "/{study", "/a/{*", "/{}", "/{study}{series}", "/{*}{study}", "/x{*}{*}"})
  {
    EXPECT_THROW(RoutePattern{bad}, std::invalid_argument) << bad;
  }
}

TEST(RoutePatternTests, ValidPatternsCompile)
{
  for (const char* good : {"/a", "/a/*", "/a/**", "/{study}", "/{*}-{instance}_{*}", "/x/{study-uid}/y/{series-uid}",
                           "/a}b", "/*/**"})
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
// cheap on long hostile segments. An 8 KB path (half of civetweb's request
// limit) full of dashes makes a naive "{*}-{instance}_{*}" matcher try every
// split, copying every substring: cubic time, seconds per request.
TEST(RoutePatternTests, LongHostileSegmentsMatchQuickly)
{
  std::string segment;
  while (segment.size() < 8000)
  {
    segment += "a-";
  }
  const RequestGrammar grammar(DefaultRouteTable(), GrammarSettings());
  const auto start = std::chrono::steady_clock::now();
  const RequestTarget target = grammar.Read(HttpMethod::Get, "/web-viewer/instances/" + segment, {});
  const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
  EXPECT_EQ(RouteAccess::StaffOnly, target.access);
  EXPECT_LT(elapsed.count(), 1000) << "matching one 8 KB segment took " << elapsed.count() << " ms";
}

TEST(RoutePatternTests, ModeratelyLongHostileSegmentsMatchQuickly)
{
  std::string segment;
  while (segment.size() < 4000)
  {
    segment += "a-";
  }
  RoutePattern pattern("/w/{*}-{instance}_{*}");
  std::vector<ResourceRef> captured;
  const auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(pattern.Match({"w", segment}, captured));
  const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
  EXPECT_LT(elapsed.count(), 100) << "matching one 4 KB segment took " << elapsed.count() << " ms";
}
