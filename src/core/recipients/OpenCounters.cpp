// SPDX-License-Identifier: GPL-3.0-or-later
#include "OpenCounters.h"

namespace studyshare
{
  const std::array<const char*, OpenCounters::kOutcomes>& OpenCounters::Outcomes()
  {
    // The open answer's Error codes (DESIGN.md), then what is left.
    static const std::array<const char*, kOutcomes> outcomes = {
      "success",          "bad-request", "invalid",      "expired", "revoked", "exhausted", "challenge-required",
      "challenge-failed", "locked",      "rate-limited", "other"};
    return outcomes;
  }

  void OpenCounters::CountOpen(const ApiResponse& answer)
  {
    std::string outcome = "success";
    if (answer.status != 200)
    {
      outcome = answer.body.is_object() && answer.body.contains("Error") && answer.body["Error"].is_string()
                  ? answer.body["Error"].get<std::string>()
                  : "other";
    }
    for (size_t i = 0; i < kOutcomes; i++)
    {
      if (outcome == Outcomes()[i] || i + 1 == kOutcomes)
      {
        opens_[i].fetch_add(1, std::memory_order_relaxed);
        return;
      }
    }
  }

  uint64_t OpenCounters::Opens(const std::string& outcome) const
  {
    for (size_t i = 0; i < kOutcomes; i++)
    {
      if (outcome == Outcomes()[i])
      {
        return opens_[i].load(std::memory_order_relaxed);
      }
    }
    return 0;
  }

  void OpenCounters::WritePrometheus(PrometheusText& out) const
  {
    out.Family("studyshare_opens_total", "counter",
               "Recipients' POST /share/api/open, by outcome: success or the answer's Error code.");
    for (size_t i = 0; i < kOutcomes; i++)
    {
      out.Sample("studyshare_opens_total", {{"outcome", Outcomes()[i]}}, opens_[i].load(std::memory_order_relaxed));
    }
    out.Family("studyshare_lockouts_total", "counter", "Shares locked after too many failed challenge answers.");
    out.Sample("studyshare_lockouts_total", {}, Lockouts());
    out.Family("studyshare_access_code_failures_total", "counter",
               "Access codes typed that name no share (guesses count toward the code limits).");
    out.Sample("studyshare_access_code_failures_total", {}, WrongAccessCodes());
    out.Family("studyshare_open_store_errors_total", "counter",
               "Opens that failed because the share store did not answer.");
    out.Sample("studyshare_open_store_errors_total", {}, StoreErrors());
  }
}
