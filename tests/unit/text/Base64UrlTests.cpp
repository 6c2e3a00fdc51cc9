// SPDX-License-Identifier: GPL-3.0-or-later
#include "Base64Url.h"

#include <gtest/gtest.h>

#include <random>

using namespace studyshare;

TEST(Base64UrlTests, EncodesRfc4648Vectors)
{
  EXPECT_EQ("", Base64UrlEncode(""));
  EXPECT_EQ("Zg", Base64UrlEncode("f"));
  EXPECT_EQ("Zm8", Base64UrlEncode("fo"));
  EXPECT_EQ("Zm9v", Base64UrlEncode("foo"));
  EXPECT_EQ("Zm9vYg", Base64UrlEncode("foob"));
  EXPECT_EQ("Zm9vYmE", Base64UrlEncode("fooba"));
  EXPECT_EQ("Zm9vYmFy", Base64UrlEncode("foobar"));
}

TEST(Base64UrlTests, UsesTheUrlSafeAlphabet)
{
  EXPECT_EQ("-_8", Base64UrlEncode(std::string("\xfb\xff", 2)));
  EXPECT_EQ(std::string("\xfb\xff", 2), Base64UrlDecode("-_8").value());
}

TEST(Base64UrlTests, RoundTripsEveryLengthAndByte)
{
  std::mt19937 random(20240101);
  for (size_t length = 0; length < 200; length++)
  {
    std::string bytes(length, '\0');
    for (char& c : bytes)
    {
      c = static_cast<char>(random() & 0xFF);
    }
    const auto decoded = Base64UrlDecode(Base64UrlEncode(bytes));
    ASSERT_TRUE(decoded.has_value()) << length;
    EXPECT_EQ(bytes, *decoded);
  }
}

TEST(Base64UrlTests, RejectsEverythingOutsideTheStrictForm)
{
  for (const char* bad : {"Zg==", "Zg=", "Zm9v=", "Zm+v", "Zm/v", "Zm 9v", " Zm9v", "Zm9v\n", "Zm9\tv", "Z", "Zm9vY",
                          "Zh", "Zm.v", "Zm9v%3D", "Zm9v\xc3\xa9"})
  {
    EXPECT_FALSE(Base64UrlDecode(bad).has_value()) << bad;
  }
  // "Zh" decodes to 'f' with non-zero trailing bits: a second spelling of "Zg".
  EXPECT_FALSE(Base64UrlDecode("Zh").has_value());
  EXPECT_FALSE(Base64UrlDecode("Zm9=").has_value());
  EXPECT_FALSE(Base64UrlDecode(std::string("Zm\0v", 4)).has_value());
}

TEST(Base64UrlTests, EmptyInputDecodesToEmpty)
{
  ASSERT_TRUE(Base64UrlDecode("").has_value());
  EXPECT_EQ("", *Base64UrlDecode(""));
}
