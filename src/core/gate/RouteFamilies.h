// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "RequestGrammar.h"

#include <optional>
#include <string>

namespace studyshare
{
  // Where a configurable root (OHIF's) may live. Every path under it is a
  // public static file to the gate, so it must not cover, or sit inside, a
  // route that serves anything else: a row of the route table, or a top-level
  // route of Orthanc or of a plugin it may run (those are staff-only because
  // the table does not list them). Compared segment by segment, ignoring case.
  // Returns the route family it overlaps, nullopt when it is free.
  std::optional<std::string> FindRouteOverlap(const std::string& root, const GrammarSettings& settings);
}
