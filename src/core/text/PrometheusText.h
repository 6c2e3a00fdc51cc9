// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace studyshare
{
  using PrometheusLabels = std::vector<std::pair<std::string, std::string>>;

  // Prometheus' text exposition format (version 0.0.4): each family's
  // "# HELP" and "# TYPE" lines, then its samples, label values escaped.
  class PrometheusText
  {
  public:
    static constexpr const char* kContentType = "text/plain; version=0.0.4; charset=utf-8";

    // `type`: counter, gauge or histogram. Samples of the family follow.
    void Family(const std::string& name, const char* type, const std::string& help);
    void Sample(const std::string& name, const PrometheusLabels& labels, uint64_t value);
    void Sample(const std::string& name, const PrometheusLabels& labels, double value);

    const std::string& Text() const { return text_; }

  private:
    void Line(const std::string& name, const PrometheusLabels& labels, const std::string& value);

    std::string text_;
  };
}
