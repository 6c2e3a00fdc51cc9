// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ApiResponse.h"
#include "PrometheusText.h"

#include <array>
#include <atomic>
#include <cstdint>
#include <string>

namespace studyshare
{
  // What recipients' opens came to, for the metrics route: each open by its
  // outcome (success or the answer's Error code), lockouts begun, wrong
  // access codes, and opens the store could not serve.
  class OpenCounters
  {
  public:
    void CountOpen(const ApiResponse& answer);
    void CountLockout() { lockouts_.fetch_add(1, std::memory_order_relaxed); }
    void CountWrongAccessCode() { wrongCodes_.fetch_add(1, std::memory_order_relaxed); }
    void CountStoreError() { storeErrors_.fetch_add(1, std::memory_order_relaxed); }

    uint64_t Opens(const std::string& outcome) const;
    uint64_t Lockouts() const { return lockouts_.load(std::memory_order_relaxed); }
    uint64_t WrongAccessCodes() const { return wrongCodes_.load(std::memory_order_relaxed); }
    uint64_t StoreErrors() const { return storeErrors_.load(std::memory_order_relaxed); }

    void WritePrometheus(PrometheusText& out) const;

  private:
    static constexpr size_t kOutcomes = 11;
    static const std::array<const char*, kOutcomes>& Outcomes();

    std::array<std::atomic<uint64_t>, kOutcomes> opens_{};
    std::atomic<uint64_t> lockouts_{0};
    std::atomic<uint64_t> wrongCodes_{0};
    std::atomic<uint64_t> storeErrors_{0};
  };
}
