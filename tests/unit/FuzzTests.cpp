// SPDX-License-Identifier: GPL-3.0-or-later
// Fuzz-style robustness: 20,000 random and mutated tokens and requests, with
// fixed, named seeds so any failure replays exactly.
#include "RequestGrammar.h"
#include "TokenSigner.h"
#include "TokenVerifier.h"

#include "TestSupport.h"

#include <gtest/gtest.h>

#include <random>

using namespace studyshare;
using namespace studyshare::test;

namespace
{
  constexpr uint32_t kTokenSeed = 0x70CE4;  // "token"
  constexpr uint32_t kUriSeed = 0x0512;     // "uri"
  constexpr uint32_t kQuerySeed = 0x0D1C0;  // "dico(m)"
  constexpr int kTokenCount = 10000;
  constexpr int kUriCount = 6000;
  constexpr int kQueryCount = 4000;

  const std::string kTokenAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ %\t\n\0";

  std::string RandomString(std::mt19937& random, const std::string& alphabet, size_t maxLength)
  {
    std::string text(random() % (maxLength + 1), '\0');
    for (char& c : text)
    {
      c = alphabet[random() % alphabet.size()];
    }
    return text;
  }

  std::string Mutate(std::mt19937& random, std::string text, const std::string& alphabet)
  {
    const int edits = 1 + static_cast<int>(random() % 4);
    for (int i = 0; i < edits; i++)
    {
      const size_t position = text.empty() ? 0 : random() % text.size();
      switch (random() % 5)
      {
        case 0:  // replace
          if (!text.empty())
          {
            text[position] = alphabet[random() % alphabet.size()];
          }
          break;
        case 1:  // insert
          text.insert(text.begin() + static_cast<long>(position), alphabet[random() % alphabet.size()]);
          break;
        case 2:  // delete
          if (!text.empty())
          {
            text.erase(position, 1);
          }
          break;
        case 3:  // duplicate a span
          if (!text.empty())
          {
            text.insert(position, text.substr(position, random() % 16));
          }
          break;
        default:  // flip a bit
          if (!text.empty())
          {
            text[position] = static_cast<char>(text[position] ^ (1 << (random() % 8)));
          }
          break;
      }
    }
    return text;
  }
}

TEST(FuzzTests, RandomAndMutatedTokensAreNeverValid)
{
  KeyRing ring;
  ring.AddHmacKey("k1", kSecret);
  ring.AddEd25519Key("ed", KeyRing::GenerateEd25519PrivatePem());
  ring.SetSigningKey("k1");
  TokenPolicy policy;
  policy.audience = kAudience;
  TokenVerifier verifier(ring, policy);
  TokenClaims claims;
  claims.id = "share-1";
  claims.audience = kAudience;
  claims.issuedAt = kNow;
  claims.notBefore = kNow;
  claims.expiresAt = kNow + 3600;
  std::vector<std::string> seeds = {TokenSigner(ring).Issue(claims)};
  claims.type = TokenType::Session;
  claims.shareId = "share-1";
  seeds.push_back(TokenSigner(ring).Issue(claims));
  ring.SetSigningKey("ed");
  seeds.push_back(TokenSigner(ring).Issue(claims));
  ASSERT_TRUE(verifier.Verify(seeds[0], TokenType::Share, kNow).IsValid());
  ASSERT_TRUE(verifier.Verify(seeds[2], TokenType::Session, kNow).IsValid());

  std::mt19937 random(kTokenSeed);
  const std::string alphabet(kTokenAlphabet.data(), kTokenAlphabet.size() + 1);
  int mutated = 0;
  for (int i = 0; i < kTokenCount; i++)
  {
    std::string token;
    if (i % 4 == 0)
    {
      token = RandomString(random, alphabet, 300);
    }
    else
    {
      const std::string& seed = seeds[random() % seeds.size()];
      token = Mutate(random, seed, alphabet);
      if (token == seed)
      {
        continue;
      }
      mutated++;
    }
    for (TokenType type : {TokenType::Share, TokenType::Session})
    {
      const TokenCheck check = verifier.Verify(token, type, kNow);
      ASSERT_NE(TokenStatus::Valid, check.status) << "seed " << kTokenSeed << " iteration " << i << ": " << token;
    }
  }
  EXPECT_GT(mutated, 7000);
}

TEST(FuzzTests, RandomPathsAreStaffOnly)
{
  const RequestGrammar grammar(DefaultRouteTable(), GrammarSettings());
  std::mt19937 random(kUriSeed);
  static const char kChars[] = "abcdefxyz0123456789-_.%/\\ ;:?#&=*,\t\x01\x7f\xc3\xa9";
  const std::string alphabet = std::string(kChars, sizeof(kChars) - 1) + '\0';
  for (int i = 0; i < kUriCount / 2; i++)
  {
    const std::string uri = "/" + RandomString(random, alphabet, 120);
    const RequestTarget target = grammar.Read(HttpMethod::Get, uri, kNoArguments);
    if (target.route == "explorer-home")
    {
      continue;  // "/" (also reached as "//", "/./"...) only sends the browser to the sign-in page
    }
    ASSERT_EQ(RouteAccess::StaffOnly, target.access) << "seed " << kUriSeed << " iteration " << i << ": " << uri;
    ASSERT_TRUE(target.resources.empty() || target.IsAmbiguous());
  }
}

// Mutations of real viewer requests: whatever the grammar lets through must be
// something it can name exactly (valid ids and UIDs), and writes never pass.
TEST(FuzzTests, MutatedRealPathsOnlyOpenWellFormedResources)
{
  const RequestGrammar grammar(DefaultRouteTable(), GrammarSettings());
  const std::vector<std::string> seeds = {
    "/studies/" + kStudyA + "/archive",
    "/instances/" + kInstanceA + "/frames/0/raw",
    "/series/" + kSeriesA + "/ordered-slices",
    "/dicom-web/studies/" + kStudyUidA + "/series/" + kSeriesUidA + "/instances/" + kSopUidA + "/frames/1",
    "/web-viewer/instances/jpeg95-" + kInstanceA + "_0",
    "/osimis-viewer/images/" + kInstanceA + "/0/high-quality",
    "/share/app/index.html",
    "/patients/" + kPatientA,
  };
  std::mt19937 random(kUriSeed + 1);
  static const char kChars[] = "abcdef0123456789-_./\\%*,; \t\x01";
  const std::string alphabet = std::string(kChars, sizeof(kChars) - 1) + '\0';
  for (int i = 0; i < kUriCount / 2; i++)
  {
    const std::string uri = Mutate(random, seeds[random() % seeds.size()], alphabet);
    const HttpMethod method = (i % 5 == 0) ? HttpMethod::Delete : HttpMethod::Get;
    const RequestTarget target = grammar.Read(method, uri, kNoArguments);
    const std::string where = "seed " + std::to_string(kUriSeed + 1) + " iteration " + std::to_string(i) + ": " + uri;
    if (method != HttpMethod::Get)
    {
      ASSERT_EQ(RouteAccess::StaffOnly, target.access) << where;
    }
    if (target.access == RouteAccess::StaffOnly)
    {
      continue;
    }
    ASSERT_FALSE(target.IsAmbiguous()) << where;
    ASSERT_TRUE(RequestGrammar::SplitPath(uri).has_value()) << where;
    if (target.access == RouteAccess::Public)
    {
      ASSERT_EQ(0u, uri.rfind("/share", 0)) << where;
      continue;
    }
    ASSERT_FALSE(target.resources.empty()) << where;
    for (const ResourceView& r : target.resources)
    {
      ASSERT_NE(ResourceLevel::Patient, r.level) << where;
      ASSERT_TRUE(r.kind == IdKind::OrthancId ? IsOrthancId(r.value) : IsDicomUid(r.value)) << where;
      ASSERT_NE(std::string::npos, uri.find(r.value)) << where;
    }
  }
}

// Random QIDO/WADO-URI arguments: a search only passes with UID filters that
// are well formed and at or above the level searched.
TEST(FuzzTests, RandomSearchArgumentsNeverWidenASearch)
{
  const RequestGrammar grammar(DefaultRouteTable(), GrammarSettings());
  std::mt19937 random(kQuerySeed);
  const std::vector<std::string> keys = {
    "StudyInstanceUID",  "studyinstanceuid", "0020000D", "0020000d",  "0020,000D",   "SeriesInstanceUID",
    "0020000E",          "SOPInstanceUID",   "00080018", "PatientID", "00100020",    "limit",
    "includefield",      "objectUID",        "studyUID", "seriesUID", "requestType", "",
    "Study%49nstanceUID"};
  const std::vector<std::string> values = {kStudyUidA,
                                           kSeriesUidA,
                                           kSopUidA,
                                           "",
                                           "*",
                                           "1.2*",
                                           kStudyUidA + "," + kStudyUidB,
                                           kStudyUidA + "%2C",
                                           "%2c" + kStudyUidB,
                                           "WADO",
                                           "abc",
                                           kStudyUidA + "\\x",
                                           "1..2",
                                           ".1",
                                           std::string(70, '1')};
  const std::vector<std::string> paths = {"/dicom-web/studies", "/dicom-web/series", "/dicom-web/instances", "/wado",
                                          "/dicom-web/studies/" + kStudyUidA + "/series"};
  for (int i = 0; i < kQueryCount; i++)
  {
    HttpPairs arguments;
    const int count = static_cast<int>(random() % 5);
    for (int j = 0; j < count; j++)
    {
      arguments.emplace_back(keys[random() % keys.size()], values[random() % values.size()]);
    }
    const std::string& path = paths[random() % paths.size()];
    const RequestTarget target = grammar.Read(HttpMethod::Get, path, arguments);
    const std::string where = "seed " + std::to_string(kQuerySeed) + " iteration " + std::to_string(i);
    if (target.access == RouteAccess::StaffOnly)
    {
      ASSERT_TRUE(target.IsAmbiguous()) << where;
      continue;
    }
    ASSERT_FALSE(target.resources.empty()) << where;
    bool hasSearchLevelFilter = false;
    for (const ResourceView& r : target.resources)
    {
      ASSERT_EQ(IdKind::DicomUid, r.kind) << where;
      ASSERT_TRUE(IsDicomUid(r.value)) << where << ": " << r.value;
      if ((path == "/dicom-web/studies" && r.level == ResourceLevel::Study) ||
          (path == "/dicom-web/series" && r.level != ResourceLevel::Instance) || path == "/dicom-web/instances" ||
          path == "/wado" || path.find("/series") != std::string::npos)
      {
        hasSearchLevelFilter = true;
      }
    }
    ASSERT_TRUE(hasSearchLevelFilter) << where;
    // Every UID filter argument with a non-empty value must appear among the resources.
    for (const auto& [key, value] : arguments)
    {
      if (path != "/wado" && key == "StudyInstanceUID")
      {
        ASSERT_FALSE(value.empty()) << where;
      }
    }
  }
}
