// SPDX-License-Identifier: GPL-3.0-or-later
#include "IsoTime.h"

#include <gtest/gtest.h>

using namespace studyshare;

TEST(IsoTimeTests, ParsesZones)
{
  EXPECT_EQ(0, ParseIsoTime("1970-01-01T00:00:00Z"));
  EXPECT_EQ(1767225600, ParseIsoTime("2026-01-01T00:00:00Z"));
  EXPECT_EQ(1767225600, ParseIsoTime("2026-01-01t00:00:00z"));
  EXPECT_EQ(1767225600 - 3600, ParseIsoTime("2026-01-01T00:00:00+01:00"));
  EXPECT_EQ(1767225600 + 5 * 3600 + 30 * 60, ParseIsoTime("2026-01-01T00:00:00-05:30"));
  EXPECT_EQ(1767225600, ParseIsoTime("2026-01-01T00:00:00+00:00"));
  EXPECT_EQ(1767225600, ParseIsoTime("2026-01-01T00:00:00-00:00"));
  EXPECT_EQ(1767225600 - (14 * 3600), ParseIsoTime("2026-01-01T00:00:00+14:00"));
  EXPECT_EQ(1767225600, ParseIsoTime("2026-01-01T00:00:00.999Z"));
  EXPECT_EQ(1767225600, ParseIsoTime("2026-01-01T00:00:00.123456789+00:00"));
  EXPECT_EQ(1767225600 + 86399, ParseIsoTime("2026-01-01T23:59:59Z"));
}

TEST(IsoTimeTests, LeapYears)
{
  EXPECT_EQ(951782400, ParseIsoTime("2000-02-29T00:00:00Z"));
  EXPECT_EQ(1709164800, ParseIsoTime("2024-02-29T00:00:00Z"));
  EXPECT_FALSE(ParseIsoTime("2023-02-29T00:00:00Z"));
  EXPECT_FALSE(ParseIsoTime("2100-02-29T00:00:00Z"));
  EXPECT_FALSE(ParseIsoTime("2024-02-30T00:00:00Z"));
  EXPECT_TRUE(ParseIsoTime("2100-02-28T00:00:00Z"));
}

TEST(IsoTimeTests, RejectsInvalidDates)
{
  for (const char* bad : {"",
                          "2026-01-01",
                          "2026-01-01T00:00:00",
                          "2026-01-01 00:00:00Z",
                          "2026-01-01T00:00Z",
                          "2026-13-01T00:00:00Z",
                          "2026-00-10T00:00:00Z",
                          "2026-01-00T00:00:00Z",
                          "2026-01-32T00:00:00Z",
                          "2026-04-31T00:00:00Z",
                          "2026-01-01T24:00:00Z",
                          "2026-01-01T00:60:00Z",
                          "2026-01-01T00:00:60Z",
                          "1969-12-31T23:59:59Z",
                          "2026-01-01T00:00:00+0100",
                          "2026-01-01T00:00:00+01",
                          "2026-01-01T00:00:00+24:00",
                          "2026-01-01T00:00:00+01:60",
                          "2026-01-01T00:00:00.Z",
                          "2026-01-01T00:00:00ZZ",
                          "2026-01-01T00:00:00Z ",
                          " 2026-01-01T00:00:00Z",
                          "2026-1-01T00:00:00Z",
                          "26-01-01T00:00:00Z",
                          "2026/01/01T00:00:00Z",
                          "2026-01-01T00:00:00UTC",
                          "2026-01-01T00:00:00+01:00Z",
                          "2026-01-01T0a:00:00Z",
                          "+2026-01-01T00:00:00Z",
                          "2026-01-01T00:00:00.5",
                          "2026-01-01T00:00:00,5Z"})
  {
    EXPECT_FALSE(ParseIsoTime(bad).has_value()) << bad;
  }
}

TEST(IsoTimeTests, FormatsUtc)
{
  EXPECT_EQ("1970-01-01T00:00:00Z", FormatIsoTime(0));
  EXPECT_EQ("2026-01-01T00:00:00Z", FormatIsoTime(1767225600));
  EXPECT_EQ("2024-02-29T12:34:56Z", FormatIsoTime(1709210096));
  for (int64_t t : {0LL, 951782400LL, 1767225599LL, 4102444800LL})
  {
    EXPECT_EQ(t, ParseIsoTime(FormatIsoTime(t))) << t;
  }
}
