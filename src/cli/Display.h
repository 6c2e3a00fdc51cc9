// SPDX-License-Identifier: GPL-3.0-or-later
// Display: human-readable output of the CLI (times, expiry in words, tables).
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

namespace studyshare::cli
{
  // "2026-05-01 14:03" in local time from a server ISO-8601 date; "-" for null
  // or empty; the text itself if it cannot be read.
  std::string LocalTime(const nlohmann::json& isoDate);

  // "never", "in 7 days (2026-05-01 14:03)", "expired 2 hours ago (...)".
  std::string ExpiryInWords(const nlohmann::json& isoDate, int64_t now);

  // "DOE^JOHN (P1) 2024-01-31 CT CHEST" for the first study, "+N more" after.
  std::string StudiesSummary(const nlohmann::json& studies);

  // "512 B", "6.0 MiB", "4.0 GiB".
  std::string ByteSizeText(int64_t bytes);

  // What an inbox received: "inbox: 2 studies, 12 instances, 6.0 MiB (DOE^JOHN ...)".
  std::string ReceivedSummary(const nlohmann::json& share);

  // "3", "3/10".
  std::string UsesText(const nlohmann::json& share);

  // A string field of a JSON object, or `fallback` when absent or not a string.
  std::string Text(const nlohmann::json& object, const char* key, const std::string& fallback = "");

  // A table with a header row, columns padded to their widest cell (counted in
  // characters, not bytes); cells longer than `maxWidth` are shortened with "…".
  class Table
  {
  public:
    explicit Table(std::vector<std::string> header, size_t maxWidth = 40);
    void Add(std::vector<std::string> row);
    void Print(std::ostream& out) const;

  private:
    std::vector<std::vector<std::string>> rows_;
    size_t maxWidth_;
  };
}
