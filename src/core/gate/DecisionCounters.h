// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "AccessDecision.h"
#include "PrometheusText.h"

#include <array>
#include <atomic>
#include <nlohmann/json.hpp>

namespace studyshare
{
  // Allow / deny / error counts by reason and route family, and how long
  // decisions take, for the metrics route. Lock-free: every request counts.
  class DecisionCounters
  {
  public:
    static constexpr size_t kReasons = static_cast<size_t>(DecisionReason::InternalError) + 1;
    static constexpr size_t kVerdicts = 3;

    // The route family is the URI's first segment when it is one of the
    // known families (Orthanc's, its plugins', StudyShare's), else "other":
    // a client cannot grow the metrics with made-up paths.
    static size_t FamilyOf(const std::string& uri);
    static size_t Families();
    static const char* FamilyName(size_t family);

    void Count(const AccessDecision& decision, const std::string& uri, double seconds);

    // Summed over the route families.
    uint64_t Get(Verdict verdict, DecisionReason reason) const;
    uint64_t Get(Verdict verdict, DecisionReason reason, size_t family) const;

    nlohmann::json ToJson() const;  // {"allow": {"reason": n, ...}, "deny": ..., "error": ...}
    void WritePrometheus(PrometheusText& out) const;

  private:
    static constexpr size_t kMaxFamilies = 32;
    static constexpr std::array<double, 10> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01,
                                                        0.025,  0.05,  0.1,    0.25,  1.0};

    std::atomic<uint64_t>& Cell(Verdict verdict, DecisionReason reason, size_t family);
    const std::atomic<uint64_t>& Cell(Verdict verdict, DecisionReason reason, size_t family) const;

    std::array<std::atomic<uint64_t>, kVerdicts * kReasons * kMaxFamilies> counts_{};
    std::array<std::atomic<uint64_t>, kBuckets.size()> buckets_{};  // not cumulative; summed when written
    std::atomic<uint64_t> decisions_{0};
    std::atomic<uint64_t> nanoseconds_{0};
  };
}
