// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace studyshare
{
  // Checks of Orthanc's own configuration that decide whether StudyShare can
  // work at all; each throws ConfigurationError naming the setting to change.

  // Orthanc's authentication must be off, explicitly or by default: Orthanc
  // 1.10 turns it on when "AuthenticationEnabled" is absent and
  // "RemoteAccessAllowed" is true, and then answers 401 to every share link.
  void CheckOrthancAuthenticationIsOff(const nlohmann::json& orthanc);

  // A top-level section named almost "StudyShare" ("Studyshare",
  // "StudyShares", "StudyShar") is a typo whose settings would be ignored.
  void CheckNoMisspeltSection(const nlohmann::json& orthanc);

  // Levenshtein distance, stopping early once it exceeds `limit`.
  size_t EditDistanceAtMost(const std::string& a, const std::string& b, size_t limit);
}
