// SPDX-License-Identifier: GPL-3.0-or-later
#include "DecisionCounters.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

using namespace studyshare;

namespace
{
  size_t Family(const char* name)
  {
    for (size_t i = 0; i < DecisionCounters::Families(); i++)
    {
      if (std::string(DecisionCounters::FamilyName(i)) == name)
      {
        return i;
      }
    }
    ADD_FAILURE() << "no family " << name;
    return 0;
  }
}

TEST(DecisionCountersTests, TheFamilyIsAKnownFirstSegmentOrOther)
{
  EXPECT_EQ(Family("studies"), DecisionCounters::FamilyOf("/studies/abc/archive"));
  EXPECT_EQ(Family("dicom-web"), DecisionCounters::FamilyOf("/dicom-web/studies"));
  EXPECT_EQ(Family("wado"), DecisionCounters::FamilyOf("/wado?requestType=WADO"));
  EXPECT_EQ(Family("share"), DecisionCounters::FamilyOf("//share/"));
  EXPECT_EQ(Family("other"), DecisionCounters::FamilyOf("/"));
  EXPECT_EQ(Family("other"), DecisionCounters::FamilyOf(""));
  EXPECT_EQ(Family("other"), DecisionCounters::FamilyOf("/made-up-by-a-client/studies"));
  EXPECT_EQ(Family("other"), DecisionCounters::FamilyOf("/studiesX"));
  EXPECT_EQ(Family("other"), DecisionCounters::FamilyOf("/Studies/abc")) << "exact, as Orthanc routes";
}

TEST(DecisionCountersTests, CountsByVerdictReasonAndFamily)
{
  DecisionCounters counters;
  counters.Count(AccessDecision::Deny(DecisionReason::NoCredentials), "/patients", 0.0001);
  counters.Count(AccessDecision::Deny(DecisionReason::NoCredentials), "/studies/x", 0.002);
  counters.Count(AccessDecision::Allow(DecisionReason::ShareGrant), "/studies/x", 2.0);
  EXPECT_EQ(2u, counters.Get(Verdict::Deny, DecisionReason::NoCredentials));
  EXPECT_EQ(1u, counters.Get(Verdict::Deny, DecisionReason::NoCredentials, Family("patients")));
  EXPECT_EQ(1u, counters.Get(Verdict::Allow, DecisionReason::ShareGrant, Family("studies")));
  EXPECT_EQ(0u, counters.Get(Verdict::Allow, DecisionReason::ShareGrant, Family("patients")));

  PrometheusText text;
  counters.WritePrometheus(text);
  const std::string& out = text.Text();
  EXPECT_NE(
    std::string::npos,
    out.find("studyshare_gate_decisions_total{verdict=\"deny\",reason=\"no-credentials\",family=\"patients\"} 1\n"));
  EXPECT_NE(
    std::string::npos,
    out.find("studyshare_gate_decisions_total{verdict=\"allow\",reason=\"share-grant\",family=\"studies\"} 1\n"));
  EXPECT_EQ(std::string::npos, out.find("family=\"dicom-web\"")) << "only what happened";
  EXPECT_NE(std::string::npos, out.find("studyshare_gate_decision_seconds_bucket{le=\"0.0005\"} 1\n"));
  EXPECT_NE(std::string::npos, out.find("studyshare_gate_decision_seconds_bucket{le=\"0.0025\"} 2\n"));
  EXPECT_NE(std::string::npos, out.find("studyshare_gate_decision_seconds_bucket{le=\"1\"} 2\n"))
    << "two seconds is past every bound";
  EXPECT_NE(std::string::npos, out.find("studyshare_gate_decision_seconds_bucket{le=\"+Inf\"} 3\n"));
  EXPECT_NE(std::string::npos, out.find("studyshare_gate_decision_seconds_count 3\n"));
  EXPECT_NE(std::string::npos, out.find("studyshare_gate_decision_seconds_sum 2.0021"));
}

TEST(DecisionCountersTests, ParallelCountsAreAllKept)
{
  DecisionCounters counters;
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; t++)
  {
    threads.emplace_back(
      [&]
      {
        for (int i = 0; i < 10000; i++)
        {
          counters.Count(AccessDecision::Allow(DecisionReason::PublicRoute), "/share/", 0.0);
        }
      });
  }
  for (std::thread& thread : threads)
  {
    thread.join();
  }
  EXPECT_EQ(80000u, counters.Get(Verdict::Allow, DecisionReason::PublicRoute, Family("share")));
}
