// SPDX-License-Identifier: GPL-3.0-or-later
#include "EmailCodes.h"

#include <gtest/gtest.h>

#include <set>

using namespace studyshare;

namespace
{
  constexpr int64_t kNow = 1'800'000'000;
}

TEST(EmailCodesTests, CodesAreSixDigitsAndMatchOnlyTheirShareWhileValid)
{
  EmailCodes codes({600, 3});
  const auto code = codes.Issue("s1", kNow);
  ASSERT_TRUE(code.has_value());
  ASSERT_EQ(6u, code->size());
  EXPECT_EQ(std::string::npos, code->find_first_not_of("0123456789"));
  EXPECT_TRUE(codes.Matches("s1", *code, kNow + 599));
  EXPECT_TRUE(codes.Matches("s1", code->substr(0, 3) + " " + code->substr(3), kNow));
  EXPECT_FALSE(codes.Matches("s1", *code, kNow + 600));  // expired
  EXPECT_FALSE(codes.Matches("s2", *code, kNow));
  EXPECT_FALSE(codes.Matches("s1", code->substr(0, 5), kNow));
  EXPECT_FALSE(codes.Matches("s1", *code + "0", kNow));
  EXPECT_FALSE(codes.Matches("s1", "abcdef", kNow));
}

TEST(EmailCodesTests, AtMostThreeSendsAnHourPerShare)
{
  EmailCodes codes({600, 3});
  std::set<std::string> sent;
  for (int i = 0; i < 3; i++)
  {
    const auto code = codes.Issue("s1", kNow + i);
    ASSERT_TRUE(code.has_value());
    sent.insert(*code);
  }
  EXPECT_FALSE(codes.Issue("s1", kNow + 10).has_value());
  EXPECT_EQ(kNow + 3600, codes.NextSendAt("s1", kNow + 10));
  for (const std::string& code : sent)
  {
    EXPECT_TRUE(codes.Matches("s1", code, kNow + 100)) << "every code still valid works";
  }
  EXPECT_TRUE(codes.Issue("s2", kNow + 10).has_value());    // another share has its own count
  EXPECT_TRUE(codes.Issue("s1", kNow + 3600).has_value());  // the first send left the hour
}

TEST(EmailCodesTests, ForgetEndsTheCodesButNotTheSendCount)
{
  EmailCodes codes({600, 2});
  const auto code = codes.Issue("s1", kNow);
  ASSERT_TRUE(code.has_value());
  codes.Forget("s1");
  EXPECT_FALSE(codes.Matches("s1", *code, kNow + 1));
  EXPECT_TRUE(codes.Issue("s1", kNow + 2).has_value());
  EXPECT_FALSE(codes.Issue("s1", kNow + 3).has_value());
}

TEST(EmailCodesTests, AddressesAreMasked)
{
  EXPECT_EQ("j***@example.org", MaskEmailAddress("jane.doe@example.org"));
  EXPECT_EQ("a***@b.c", MaskEmailAddress("a@b.c"));
  EXPECT_EQ("***", MaskEmailAddress("nobody"));
  EXPECT_EQ("***", MaskEmailAddress(""));
}
