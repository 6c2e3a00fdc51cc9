// SPDX-License-Identifier: GPL-3.0-or-later
#include "OpenCounters.h"

#include <gtest/gtest.h>

using namespace studyshare;

TEST(OpenCountersTests, OpensCountByOutcome)
{
  OpenCounters counters;
  counters.CountOpen({200, {{"SessionToken", "x"}}});
  counters.CountOpen({423, {{"Error", "locked"}, {"Message", "m"}}});
  counters.CountOpen({404, {{"Error", "invalid"}}});
  counters.CountOpen({404, {{"Error", "invalid"}}});
  counters.CountOpen({500, {{"Error", "something-new"}}});
  counters.CountOpen({500, nullptr});
  counters.CountOpen({400, {{"Error", 7}}});
  EXPECT_EQ(1u, counters.Opens("success"));
  EXPECT_EQ(1u, counters.Opens("locked"));
  EXPECT_EQ(2u, counters.Opens("invalid"));
  EXPECT_EQ(3u, counters.Opens("other")) << "unknown or missing codes make no series of their own";
  EXPECT_EQ(0u, counters.Opens("something-new"));
}

TEST(OpenCountersTests, EveryOutcomeIsWrittenEvenAtZero)
{
  OpenCounters counters;
  counters.CountLockout();
  counters.CountWrongAccessCode();
  counters.CountWrongAccessCode();
  PrometheusText text;
  counters.WritePrometheus(text);
  const std::string& out = text.Text();
  for (const char* outcome : {"success", "bad-request", "invalid", "expired", "revoked", "exhausted",
                              "challenge-required", "challenge-failed", "locked", "rate-limited", "other"})
  {
    EXPECT_NE(std::string::npos, out.find("studyshare_opens_total{outcome=\"" + std::string(outcome) + "\"} 0\n"))
      << outcome;
  }
  EXPECT_NE(std::string::npos, out.find("# TYPE studyshare_lockouts_total counter\nstudyshare_lockouts_total 1\n"));
  EXPECT_NE(std::string::npos, out.find("studyshare_access_code_failures_total 2\n"));
  EXPECT_NE(std::string::npos, out.find("studyshare_open_store_errors_total 0\n"));
}
