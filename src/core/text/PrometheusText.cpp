// SPDX-License-Identifier: GPL-3.0-or-later
#include "PrometheusText.h"

#include <cmath>
#include <cstdio>

namespace studyshare
{
  namespace
  {
    // HELP text escapes backslash and line feed; label values also the double quote.
    std::string Escape(const std::string& text, bool quotes)
    {
      std::string escaped;
      for (char c : text)
      {
        if (c == '\\')
        {
          escaped += "\\\\";
        }
        else if (c == '\n')
        {
          escaped += "\\n";
        }
        else if (c == '"' && quotes)
        {
          escaped += "\\\"";
        }
        else
        {
          escaped += c;
        }
      }
      return escaped;
    }
  }

  void PrometheusText::Family(const std::string& name, const char* type, const std::string& help)
  {
    text_ += "# HELP " + name + ' ' + Escape(help, false) + '\n';
    text_ += "# TYPE " + name + ' ' + type + '\n';
  }

  void PrometheusText::Sample(const std::string& name, const PrometheusLabels& labels, uint64_t value)
  {
    Line(name, labels, std::to_string(value));
  }

  void PrometheusText::Sample(const std::string& name, const PrometheusLabels& labels, double value)
  {
    if (std::isinf(value))
    {
      Line(name, labels, value > 0 ? "+Inf" : "-Inf");
      return;
    }
    if (std::isnan(value))
    {
      Line(name, labels, "NaN");
      return;
    }
    char buffer[32];
    std::snprintf(buffer, sizeof(buffer), "%.9g", value);
    Line(name, labels, buffer);
  }

  void PrometheusText::Line(const std::string& name, const PrometheusLabels& labels, const std::string& value)
  {
    text_ += name;
    if (!labels.empty())
    {
      text_ += '{';
      for (size_t i = 0; i < labels.size(); i++)
      {
        text_ += (i == 0 ? "" : ",") + labels[i].first + "=\"" + Escape(labels[i].second, true) + '"';
      }
      text_ += '}';
    }
    text_ += ' ' + value + '\n';
  }
}
