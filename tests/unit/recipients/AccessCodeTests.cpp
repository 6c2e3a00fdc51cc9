// SPDX-License-Identifier: GPL-3.0-or-later
#include "AccessCode.h"

#include <gtest/gtest.h>

#include <set>

using namespace studyshare;

namespace
{
  const std::string kAlphabet = "ABCDEFGHJKMNPQRSTVWXYZ23456789";
}

TEST(AccessCodeTests, GeneratedCodesHaveTheDocumentedShape)
{
  const std::string code = AccessCode::Generate();
  ASSERT_EQ(17u, code.size()) << code;  // three groups of five, dash-separated
  EXPECT_EQ('-', code[5]);
  EXPECT_EQ('-', code[11]);
  for (size_t i = 0; i < code.size(); i++)
  {
    if (i != 5 && i != 11)
    {
      EXPECT_NE(std::string::npos, kAlphabet.find(code[i])) << code;
    }
  }
  const auto normalized = AccessCode::Normalize(code);
  ASSERT_TRUE(normalized.has_value());
  EXPECT_EQ(AccessCode::kLength, normalized->size());
}

TEST(AccessCodeTests, AlphabetHasNoLookAlikes)
{
  EXPECT_EQ(30u, kAlphabet.size());
  for (char c : std::string("01OILU"))
  {
    EXPECT_FALSE(AccessCode::Normalize(std::string("ABCDEFGHJKMNPQ") + c).has_value()) << c;
  }
}

TEST(AccessCodeTests, NormalizeIgnoresCaseDashesAndSpaces)
{
  const std::string canonical = "ABCDEFGHJKMNPQR";
  for (const char* typed : {"ABCDE-FGHJK-MNPQR", "abcde-fghjk-mnpqr", "ABCDE FGHJK MNPQR", " abcde fghjkmnpqr ",
                            "A-B-C-D-E-F-G-H-J-K-M-N-P-Q-R", "AbCdE\tFgHjK\tMnPqR", "abcdefghjkmnpqr"})
  {
    EXPECT_EQ(canonical, AccessCode::Normalize(typed)) << typed;
  }
  for (const char* bad : {"", "ABCDE-FGHJK-MNPQ", "ABCDE-FGHJK-MNPQRS", "ABCDE_FGHJK_MNPQR", "ABCDE.FGHJK.MNPQR",
                          "ÀBCDE-FGHJK-MNPQR", "ABCDE-FGHJK-MNPQ0", "ABCDE\nFGHJK\nMNPQR"})
  {
    EXPECT_FALSE(AccessCode::Normalize(bad).has_value()) << bad;
  }
}

TEST(AccessCodeTests, DigestIsStableAndDoesNotRevealTheCode)
{
  const std::string digest = AccessCode::Digest("ABCDEFGHJKMNPQR");
  EXPECT_EQ(digest, AccessCode::Digest("ABCDEFGHJKMNPQR"));
  EXPECT_NE(digest, AccessCode::Digest("ABCDEFGHJKMNPQS"));
  EXPECT_EQ(64u, digest.size());
  EXPECT_EQ(std::string::npos, digest.find("ABCDE"));
  EXPECT_EQ(AccessCode::Digest(*AccessCode::Normalize("abcde-fghjk-mnpqr")), digest);
}

TEST(AccessCodeTests, ThousandGeneratedCodesAreDistinctAndUseTheWholeAlphabet)
{
  std::set<std::string> codes;
  std::set<char> symbols;
  for (int i = 0; i < 1000; i++)
  {
    const auto normalized = AccessCode::Normalize(AccessCode::Generate());
    ASSERT_TRUE(normalized.has_value());
    codes.insert(*normalized);
    symbols.insert(normalized->begin(), normalized->end());
  }
  EXPECT_EQ(1000u, codes.size());
  EXPECT_EQ(kAlphabet.size(), symbols.size());
}
