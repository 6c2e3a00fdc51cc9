// SPDX-License-Identifier: GPL-3.0-or-later
#include "DecisionCounters.h"

namespace studyshare
{
  nlohmann::json DecisionCounters::ToJson() const
  {
    nlohmann::json result = nlohmann::json::object();
    for (Verdict verdict : {Verdict::Allow, Verdict::Deny, Verdict::Error})
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
}
