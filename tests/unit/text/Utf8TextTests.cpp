// SPDX-License-Identifier: GPL-3.0-or-later
#include "Utf8Text.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <vector>

using namespace studyshare;

namespace
{
  const std::string kFffd = "\xEF\xBF\xBD";
}

TEST(Utf8TextTests, ValidTextIsKept)
{
  for (const std::string& text : std::vector<std::string>{"", "Mozilla/5.0 (X11; Linux x86_64)", "Ren\xC3\xA9",
                                                          "\xE2\x82\xAC 5", "\xF0\x9F\x98\x80", std::string("a\0b", 3)})
  {
    EXPECT_EQ(text, ToValidUtf8(text));
  }
}

TEST(Utf8TextTests, EveryIllFormedByteBecomesAReplacementCharacter)
{
  struct Case
  {
    std::string in;
    std::string out;
  };
  const Case cases[] = {
    {"\xFF", kFffd},
    {"ok\xC3", "ok" + kFffd},                             // truncated sequence
    {"\xC0\xAF", kFffd + kFffd},                          // overlong '/'
    {"\xE0\x80\xAF", kFffd + kFffd + kFffd},              // overlong, 3 bytes
    {"\xED\xA0\x80", kFffd + kFffd + kFffd},              // a UTF-16 surrogate
    {"\xF4\x90\x80\x80", kFffd + kFffd + kFffd + kFffd},  // past U+10FFFF
    {"\x80x", kFffd + "x"},                               // lone continuation byte
    {"\xE2\x82x", kFffd + kFffd + "x"},
  };
  for (const Case& c : cases)
  {
    EXPECT_EQ(c.out, ToValidUtf8(c.in)) << c.in;
  }
}

TEST(Utf8TextTests, ResultAlwaysSerializesAsJson)
{
  std::string every;
  for (int byte = 0; byte < 256; byte++)
  {
    every.push_back(static_cast<char>(byte));
    every += "\xC3";
  }
  EXPECT_THROW(nlohmann::json(every).dump(), nlohmann::json::type_error);
  EXPECT_NO_THROW(nlohmann::json(ToValidUtf8(every)).dump());
}

TEST(Utf8TextTests, CutsAtACharacterBoundary)
{
  const std::string text = "ab\xC3\xA9\xE2\x82\xAC";  // a b é €
  EXPECT_EQ("ab", ToValidUtf8(text, 3));
  EXPECT_EQ("ab\xC3\xA9", ToValidUtf8(text, 4));
  EXPECT_EQ("ab\xC3\xA9", ToValidUtf8(text, 6));
  EXPECT_EQ(text, ToValidUtf8(text, 7));
  EXPECT_EQ("", ToValidUtf8("\xFF", 2)) << "a replacement character takes 3 bytes";
  const std::string agent(511, 'a');
  EXPECT_EQ(agent, ToValidUtf8(agent + "\xC3\xA9", 512));
}

TEST(Utf8TextTests, LogEscapingLeavesNoLineBreakOrControl)
{
  EXPECT_EQ("/studies/x\\x0A2026-01-01 forged", EscapeForLog("/studies/x\n2026-01-01 forged"));
  EXPECT_EQ("\\x0D\\x09\\x00\\x1B[31m\\x7F", EscapeForLog(std::string("\r\t\0\x1B[31m\x7F", 9)));
  EXPECT_EQ("a\\x5Cx0Ab", EscapeForLog("a\\x0Ab")) << "a backslash cannot fake an escape";
  EXPECT_EQ("\\u0085 \\u2028 \\u2029", EscapeForLog("\xC2\x85 \xE2\x80\xA8 \xE2\x80\xA9"));
  EXPECT_EQ("\\xFF\\xC3", EscapeForLog("\xFF\xC3"));
  EXPECT_EQ("Ren\xC3\xA9 /dicom-web/studies/1.2.3", EscapeForLog("Ren\xC3\xA9 /dicom-web/studies/1.2.3"));
  for (int byte = 0; byte < 256; byte++)
  {
    const std::string escaped = EscapeForLog(std::string(1, static_cast<char>(byte)));
    EXPECT_EQ(std::string::npos, escaped.find_first_of("\r\n")) << byte;
  }
}
