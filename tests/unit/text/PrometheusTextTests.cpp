// SPDX-License-Identifier: GPL-3.0-or-later
#include "PrometheusText.h"

#include <gtest/gtest.h>

#include <limits>

using namespace studyshare;

TEST(PrometheusTextTests, FamiliesStartWithHelpAndType)
{
  PrometheusText text;
  text.Family("x_total", "counter", "Things.");
  text.Sample("x_total", {}, uint64_t{3});
  text.Sample("x_total", {{"kind", "a"}, {"where", "b"}}, uint64_t{18446744073709551615ULL});
  EXPECT_EQ(
    "# HELP x_total Things.\n# TYPE x_total counter\nx_total 3\n"
    "x_total{kind=\"a\",where=\"b\"} 18446744073709551615\n",
    text.Text());
}

TEST(PrometheusTextTests, HelpAndLabelValuesAreEscaped)
{
  PrometheusText text;
  text.Family("g", "gauge", "back\\slash \"quoted\"\nsecond line");
  text.Sample("g", {{"v", "a\\b\"c\nd"}}, uint64_t{1});
  EXPECT_EQ("# HELP g back\\\\slash \"quoted\"\\nsecond line\n# TYPE g gauge\ng{v=\"a\\\\b\\\"c\\nd\"} 1\n",
            text.Text());
}

TEST(PrometheusTextTests, FloatingValues)
{
  PrometheusText text;
  text.Sample("s", {}, 0.25);
  text.Sample("s", {{"le", "+Inf"}}, std::numeric_limits<double>::infinity());
  text.Sample("s", {}, -std::numeric_limits<double>::infinity());
  text.Sample("s", {}, std::numeric_limits<double>::quiet_NaN());
  text.Sample("s", {}, 1e-7);
  EXPECT_EQ("s 0.25\ns{le=\"+Inf\"} +Inf\ns -Inf\ns NaN\ns 1e-07\n", text.Text());
}
