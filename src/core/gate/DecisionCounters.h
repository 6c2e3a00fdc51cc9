// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "AccessDecision.h"

#include <array>
#include <atomic>
#include <nlohmann/json.hpp>

namespace studyshare
{
  // Allow / deny / error counts by reason, for the metrics route.
  class DecisionCounters
  {
  public:
    static constexpr size_t kReasons = static_cast<size_t>(DecisionReason::InternalError) + 1;

    void Count(const AccessDecision& decision)
    {
      counts_[static_cast<size_t>(decision.verdict)][static_cast<size_t>(decision.reason)].fetch_add(
        1, std::memory_order_relaxed);
    }

    uint64_t Get(Verdict verdict, DecisionReason reason) const
    {
      return counts_[static_cast<size_t>(verdict)][static_cast<size_t>(reason)].load(std::memory_order_relaxed);
    }

    nlohmann::json ToJson() const;

  private:
    std::array<std::array<std::atomic<uint64_t>, kReasons>, 3> counts_{};
  };
}
