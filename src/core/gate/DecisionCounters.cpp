// SPDX-License-Identifier: GPL-3.0-or-later
#include "DecisionCounters.h"

#include <algorithm>
#include <cstdio>
#include <string_view>

namespace studyshare
{
  namespace
  {
    // The first path segments the gate sees in practice; "other" is last.
    constexpr const char* kFamilies[] = {
      "studies", "series",        "instances", "patients", "dicom-web",  "wado",       "web-viewer", "stone-webviewer",
      "ohif",    "osimis-viewer", "volview",   "share",    "studyshare", "auth",       "app",        "ui",
      "system",  "tools",         "plugins",   "changes",  "jobs",       "modalities", "peers",      "other"};
    constexpr size_t kFamilyCount = sizeof(kFamilies) / sizeof(kFamilies[0]);

    constexpr Verdict kAllVerdicts[] = {Verdict::Allow, Verdict::Deny, Verdict::Error};
  }

  size_t DecisionCounters::Families()
  {
    static_assert(kFamilyCount <= kMaxFamilies, "raise kMaxFamilies");
    return kFamilyCount;
  }

  const char* DecisionCounters::FamilyName(size_t family)
  {
    return kFamilies[family < kFamilyCount ? family : kFamilyCount - 1];
  }

  size_t DecisionCounters::FamilyOf(const std::string& uri)
  {
    const size_t start = uri.find_first_not_of('/');
    if (start == std::string::npos)
    {
      return kFamilyCount - 1;
    }
    const size_t end = uri.find_first_of("/?", start);
    const std::string_view segment =
      std::string_view(uri).substr(start, end == std::string::npos ? std::string::npos : end - start);
    for (size_t i = 0; i + 1 < kFamilyCount; i++)
    {
      if (segment == kFamilies[i])
      {
        return i;
      }
    }
    return kFamilyCount - 1;
  }

  std::atomic<uint64_t>& DecisionCounters::Cell(Verdict verdict, DecisionReason reason, size_t family)
  {
    return counts_[(static_cast<size_t>(verdict) * kReasons + static_cast<size_t>(reason)) * kMaxFamilies + family];
  }

  const std::atomic<uint64_t>& DecisionCounters::Cell(Verdict verdict, DecisionReason reason, size_t family) const
  {
    return counts_[(static_cast<size_t>(verdict) * kReasons + static_cast<size_t>(reason)) * kMaxFamilies + family];
  }

  void DecisionCounters::Count(const AccessDecision& decision, const std::string& uri, double seconds)
  {
    Cell(decision.verdict, decision.reason, FamilyOf(uri)).fetch_add(1, std::memory_order_relaxed);
    for (size_t i = 0; i < kBuckets.size(); i++)
    {
      if (seconds <= kBuckets[i])
      {
        buckets_[i].fetch_add(1, std::memory_order_relaxed);
        break;
      }
    }
    decisions_.fetch_add(1, std::memory_order_relaxed);
    nanoseconds_.fetch_add(static_cast<uint64_t>(seconds * 1e9), std::memory_order_relaxed);
  }

  uint64_t DecisionCounters::Get(Verdict verdict, DecisionReason reason, size_t family) const
  {
    return Cell(verdict, reason, family).load(std::memory_order_relaxed);
  }

  uint64_t DecisionCounters::Get(Verdict verdict, DecisionReason reason) const
  {
    uint64_t total = 0;
    for (size_t family = 0; family < kFamilyCount; family++)
    {
      total += Get(verdict, reason, family);
    }
    return total;
  }

  nlohmann::json DecisionCounters::ToJson() const
  {
    nlohmann::json result = nlohmann::json::object();
    for (Verdict verdict : kAllVerdicts)
    {
      nlohmann::json byReason = nlohmann::json::object();
      for (size_t reason = 0; reason < kReasons; reason++)
      {
        const uint64_t count = Get(verdict, static_cast<DecisionReason>(reason));
        if (count > 0)
        {
          byReason[ToString(static_cast<DecisionReason>(reason))] = count;
        }
      }
      result[ToString(verdict)] = byReason;
    }
    return result;
  }

  void DecisionCounters::WritePrometheus(PrometheusText& out) const
  {
    // Only combinations that happened: the full product is over 2,000 series.
    out.Family("studyshare_gate_decisions_total", "counter",
               "Requests the gate decided, by verdict (allow, deny, error), reason and route family.");
    for (Verdict verdict : kAllVerdicts)
    {
      for (size_t reason = 0; reason < kReasons; reason++)
      {
        for (size_t family = 0; family < kFamilyCount; family++)
        {
          const uint64_t count = Get(verdict, static_cast<DecisionReason>(reason), family);
          if (count > 0)
          {
            out.Sample("studyshare_gate_decisions_total",
                       {{"verdict", ToString(verdict)},
                        {"reason", ToString(static_cast<DecisionReason>(reason))},
                        {"family", kFamilies[family]}},
                       count);
          }
        }
      }
    }
    out.Family("studyshare_gate_decision_seconds", "histogram",
               "Time the gate took to decide a request, store and resolver lookups included.");
    // Read the total first: buckets counted meanwhile can only make +Inf >= every bucket.
    const uint64_t total = decisions_.load(std::memory_order_relaxed);
    const double seconds = static_cast<double>(nanoseconds_.load(std::memory_order_relaxed)) / 1e9;
    uint64_t cumulative = 0;
    for (size_t i = 0; i < kBuckets.size(); i++)
    {
      cumulative += buckets_[i].load(std::memory_order_relaxed);
      char bound[16];
      std::snprintf(bound, sizeof(bound), "%g", kBuckets[i]);
      out.Sample("studyshare_gate_decision_seconds_bucket", {{"le", bound}}, std::min(cumulative, total));
    }
    out.Sample("studyshare_gate_decision_seconds_bucket", {{"le", "+Inf"}}, total);
    out.Sample("studyshare_gate_decision_seconds_sum", {}, seconds);
    out.Sample("studyshare_gate_decision_seconds_count", {}, total);
  }
}
