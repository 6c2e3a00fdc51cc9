// SPDX-License-Identifier: GPL-3.0-or-later
// The request grammar, driven by the data table in GrammarCases.inc.
#include "RequestGrammar.h"

#include "TestSupport.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <set>
#include <sstream>

using namespace studyshare;
using namespace studyshare::test;

namespace
{
  struct GrammarCase
  {
    bool customRoot;
    const char* name;
    const char* method;
    const char* uri;
    const char* query;
    const char* access;
    const char* resources;
  };

#define ROW(...) {false, __VA_ARGS__},
#define CUSTOM(...) {true, __VA_ARGS__},
  const GrammarCase kCases[] = {
#include "GrammarCases.inc"
  };
#undef ROW
#undef CUSTOM

  constexpr size_t kCaseCount = sizeof(kCases) / sizeof(kCases[0]);

  std::string Upper(std::string text)
  {
    for (char& c : text)
    {
      c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    return text;
  }

  std::string Substitute(std::string text)
  {
    static const std::vector<std::pair<std::string, std::string>> kPlaceholders = {
      {"$PA", kPatientA},   {"$SA", kStudyA},     {"$SB", kStudyB},    {"$SC", kStudyC},    {"$EA", kSeriesA},
      {"$EB", kSeriesB},    {"$IA", kInstanceA},  {"$IB", kInstanceB}, {"$UA", kStudyUidA}, {"$UB", kStudyUidB},
      {"$VA", kSeriesUidA}, {"$VB", kSeriesUidB}, {"$WA", kSopUidA},   {"$WB", kSopUidB},   {"$SU", Upper(kStudyA)}};
    for (const auto& [placeholder, value] : kPlaceholders)
    {
      for (size_t found = text.find(placeholder); found != std::string::npos; found = text.find(placeholder, found))
      {
        text.replace(found, placeholder.size(), value);
        found += value.size();
      }
    }
    return text;
  }

  HttpMethod Method(const std::string& name)
  {
    if (name == "OTHER")
    {
      return HttpMethod::Other;
    }
    const HttpMethod method = ParseHttpMethod(name);
    if (method == HttpMethod::Other)
    {
      throw std::invalid_argument("bad method in table: " + name);
    }
    return method;
  }

  // Raw query string → pairs, as Orthanc hands them over: split on '&', then on
  // the first '=', nothing decoded.
  HttpPairs Arguments(const std::string& query)
  {
    HttpPairs pairs;
    if (query.empty())
    {
      return pairs;
    }
    size_t start = 0;
    for (;;)
    {
      const size_t amp = query.find('&', start);
      const std::string piece = query.substr(start, amp == std::string::npos ? std::string::npos : amp - start);
      const size_t equals = piece.find('=');
      if (equals == std::string::npos)
      {
        pairs.emplace_back(piece, "");
      }
      else
      {
        pairs.emplace_back(piece.substr(0, equals), piece.substr(equals + 1));
      }
      if (amp == std::string::npos)
      {
        return pairs;
      }
      start = amp + 1;
    }
  }

  std::string Describe(const ResourceView& r)
  {
    return std::string(ToString(r.level)) + ":" + (r.kind == IdKind::OrthancId ? "id" : "uid") + ":" +
           std::string(r.value);
  }

  std::vector<std::string> Expected(const std::string& text)
  {
    std::vector<std::string> items;
    std::istringstream stream(Substitute(text));
    std::string item;
    while (stream >> item)
    {
      items.push_back(item);
    }
    std::sort(items.begin(), items.end());
    return items;
  }

  std::vector<std::string> Actual(const RequestTarget& target)
  {
    std::vector<std::string> items;
    for (const ResourceView& r : target.resources)
    {
      items.push_back(Describe(r));
    }
    std::sort(items.begin(), items.end());
    return items;
  }

  GrammarSettings CustomSettings()
  {
    GrammarSettings settings;
    settings.dicomWebRoot = "/pacs/dicom-web/";
    settings.wadoRoot = "/pacs/wado";
    return settings;
  }

  const RequestGrammar& DefaultGrammar()
  {
    static const RequestGrammar grammar(DefaultRouteTable(), GrammarSettings());
    return grammar;
  }

  const RequestGrammar& CustomGrammar()
  {
    static const RequestGrammar grammar(DefaultRouteTable(), CustomSettings());
    return grammar;
  }

  // One row read by the grammar, with the request text that the reading borrows.
  struct CaseReading
  {
    CaseReading(const GrammarCase& c, HttpMethod method, bool withArguments = true)
      : uri(Substitute(c.uri)), arguments(withArguments ? Arguments(Substitute(c.query)) : HttpPairs()),
        target((c.customRoot ? CustomGrammar() : DefaultGrammar()).Read(method, uri, arguments))
    {
    }
    CaseReading(const CaseReading&) = delete;
    CaseReading& operator=(const CaseReading&) = delete;

    const std::string uri;
    const HttpPairs arguments;
    const RequestTarget target;
  };

  std::string Outcome(const RequestTarget& target)
  {
    return target.IsAmbiguous() ? std::string("ambiguous (") + target.problem + ")" : ToString(target.access);
  }

  class GrammarTable : public ::testing::TestWithParam<size_t>
  {
  };
}

TEST_P(GrammarTable, ReadsTheRequestAsOrthancWould)
{
  const GrammarCase& c = kCases[GetParam()];
  const CaseReading reading(c, Method(c.method));
  const RequestTarget& target = reading.target;
  const std::string expected = c.access;
  SCOPED_TRACE(std::string(c.name) + ": " + c.method + " " + Substitute(c.uri) + "?" + Substitute(c.query) +
               " -> route " + std::string(target.route) + ", " + Outcome(target));
  if (expected == "ambiguous")
  {
    EXPECT_EQ(RouteAccess::StaffOnly, target.access);
    EXPECT_TRUE(target.IsAmbiguous());
    return;
  }
  EXPECT_FALSE(target.IsAmbiguous()) << target.problem;
  EXPECT_EQ(expected, ToString(target.access));
  if (expected != "staff-only")
  {
    EXPECT_EQ(Expected(c.resources), Actual(target));
  }
}

INSTANTIATE_TEST_SUITE_P(Rows, GrammarTable, ::testing::Range<size_t>(0, kCaseCount),
                         [](const ::testing::TestParamInfo<size_t>& p) { return std::string(kCases[p.param].name); });

TEST(RequestGrammarTests, TableHasAtLeast200RowsWithUniqueNames)
{
  EXPECT_GE(kCaseCount, 200u);
  std::set<std::string> names;
  for (const GrammarCase& c : kCases)
  {
    EXPECT_TRUE(names.insert(c.name).second) << "duplicate row name " << c.name;
    for (const char* p = c.name; *p; p++)
    {
      EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(*p)) || *p == '_') << c.name;
    }
  }
}

TEST(RequestGrammarTests, EveryRouteTableRowIsExercised)
{
  std::set<std::string> hit;
  for (const GrammarCase& c : kCases)
  {
    hit.insert(std::string(CaseReading(c, Method(c.method)).target.route));
  }
  for (const RouteRule& rule : DefaultRouteTable())
  {
    EXPECT_TRUE(hit.count(rule.name)) << "no grammar row reaches route '" << rule.name << "'";
  }
}

// Every request a share may make with GET is refused to shares when sent with
// a write method (Orthanc passes no GET arguments on those).
TEST(RequestGrammarTests, WritesOnEveryReadRouteAreStaffOnly)
{
  size_t checked = 0;
  for (const GrammarCase& c : kCases)
  {
    if (std::string(c.method) != "GET" || std::string(c.access) == "staff-only")
    {
      continue;
    }
    for (HttpMethod method : {HttpMethod::Post, HttpMethod::Put, HttpMethod::Delete, HttpMethod::Other})
    {
      const CaseReading reading(c, method, false);
      const RequestTarget& target = reading.target;
      const bool shareApiPost = method == HttpMethod::Post && Substitute(c.uri).rfind("/share/api", 0) == 0;
      SCOPED_TRACE(std::string(c.name) + " with " + ToString(method) + " -> " + std::string(target.route));
      if (shareApiPost)
      {
        EXPECT_EQ(RouteAccess::Public, target.access);
      }
      else
      {
        EXPECT_EQ(RouteAccess::StaffOnly, target.access);
      }
      checked++;
    }
  }
  EXPECT_GT(checked, 600u);
}

// HEAD (and what Orthanc maps to GET) reads exactly like GET.
TEST(RequestGrammarTests, HeadReadsLikeGet)
{
  for (const GrammarCase& c : kCases)
  {
    if (std::string(c.method) != "GET")
    {
      continue;
    }
    const CaseReading getReading(c, HttpMethod::Get);
    const CaseReading headReading(c, HttpMethod::Head);
    const RequestTarget& get = getReading.target;
    const RequestTarget& head = headReading.target;
    EXPECT_EQ(get.access, head.access) << c.name;
    EXPECT_EQ(get.route, head.route) << c.name;
    EXPECT_EQ(Actual(get), Actual(head)) << c.name;
  }
}

TEST(RequestGrammarTests, NulInsideThePathIsRefused)
{
  const std::string uri = "/studies/" + kStudyA + std::string(1, '\0') + "/../../patients";
  const RequestTarget target = DefaultGrammar().Read(HttpMethod::Get, uri, kNoArguments);
  EXPECT_EQ(RouteAccess::StaffOnly, target.access);
  EXPECT_TRUE(target.IsAmbiguous());
}

TEST(RequestGrammarTests, NulInsideAUidArgumentIsRefused)
{
  const std::string uri = "/dicom-web/studies";
  const HttpPairs arguments = {{"StudyInstanceUID", kStudyUidA + '\0' + "x"}};
  const RequestTarget target = DefaultGrammar().Read(HttpMethod::Get, uri, arguments);
  EXPECT_TRUE(target.IsAmbiguous());
}

TEST(RequestGrammarTests, SplitPath)
{
  using Segments = PathSegments;
  EXPECT_EQ(Segments({"studies", "x"}), RequestGrammar::SplitPath("/studies/x"));
  EXPECT_EQ(Segments({"studies", "x"}), RequestGrammar::SplitPath("/studies/x/"));
  EXPECT_EQ(Segments({"studies", "x"}), RequestGrammar::SplitPath("/studies/x///"));
  EXPECT_EQ(Segments({}), RequestGrammar::SplitPath("/"));
  EXPECT_EQ(Segments({}), RequestGrammar::SplitPath("///"));
  EXPECT_EQ(Segments({"a b", "%2e%2e"}), RequestGrammar::SplitPath("/a b/%2e%2e"));
  for (const char* bad :
       {"", "studies", "//studies", "/a//b", "/a/./b", "/a/../b", "/..", "/.", "/a\\b", "/a\tb", "/a\x7f", "/a\r\n"})
  {
    EXPECT_FALSE(RequestGrammar::SplitPath(bad).has_value()) << bad;
  }
}

TEST(RequestGrammarTests, RootsMustBeFolders)
{
  GrammarSettings settings;
  settings.dicomWebRoot = "/";
  EXPECT_THROW(RequestGrammar(DefaultRouteTable(), settings), std::invalid_argument);
  settings.dicomWebRoot = "dicom-web";
  EXPECT_THROW(RequestGrammar(DefaultRouteTable(), settings), std::invalid_argument);
  settings.dicomWebRoot = "/dicomweb";
  settings.wadoRoot = "";
  EXPECT_THROW(RequestGrammar(DefaultRouteTable(), settings), std::invalid_argument);
  settings.wadoRoot = "/wado-uri/";
  const RequestGrammar grammar(DefaultRouteTable(), settings);
  const std::string metadata = "/dicomweb/studies/" + kStudyUidA + "/metadata";
  EXPECT_EQ(RouteAccess::Read, grammar.Read(HttpMethod::Get, metadata, kNoArguments).access);
  const std::string wadoUri = "/wado-uri";
  const HttpPairs wadoArguments = {{"objectUID", kSopUidA}};
  EXPECT_EQ(RouteAccess::WadoUri, grammar.Read(HttpMethod::Get, wadoUri, wadoArguments).access);
}

TEST(RequestGrammarTests, ClassifyRouteReadsTheContentTypeOfWadoUri)
{
  const RequestGrammar& grammar = DefaultGrammar();
  EXPECT_EQ(RouteAccess::WadoUri, grammar.ClassifyRoute(HttpMethod::Get, "/wado"));
  EXPECT_EQ(RouteAccess::WadoUri, grammar.ClassifyRoute(HttpMethod::Get, "/wado?contentType=image/png"));
  EXPECT_EQ(RouteAccess::Download, grammar.ClassifyRoute(HttpMethod::Get, "/wado?contentType=application/dicom"));
  EXPECT_EQ(RouteAccess::Download,
            grammar.ClassifyRoute(HttpMethod::Get, "/wado?objectUID=1.2&contentType=image/png&contentType=x"));
  EXPECT_EQ(RouteAccess::Download, grammar.ClassifyRoute(HttpMethod::Get, "/dicom-web/studies/1.2.3"));
  EXPECT_EQ(RouteAccess::Read, grammar.ClassifyRoute(HttpMethod::Get, "/dicom-web/studies/1.2.3/metadata?x=1"));
  EXPECT_EQ(RouteAccess::Download, grammar.ClassifyRoute(HttpMethod::Get, "/instances/" + kInstanceA + "/file"));
}

TEST(RequestGrammarTests, UnlistedRoutesAreStaffOnlyWithoutProblem)
{
  const std::string uri = "/some/new/orthanc/route";
  const RequestTarget target = DefaultGrammar().Read(HttpMethod::Get, uri, kNoArguments);
  EXPECT_EQ(RouteAccess::StaffOnly, target.access);
  EXPECT_EQ("unlisted", target.route);
  EXPECT_FALSE(target.IsAmbiguous());
  EXPECT_TRUE(target.resources.empty());
}

TEST(RequestGrammarTests, RouteTableNeverOpensWritesToShares)
{
  for (const RouteRule& rule : DefaultRouteTable())
  {
    if (rule.access == RouteAccess::StaffOnly)
    {
      continue;
    }
    const unsigned writes = static_cast<unsigned>(HttpMethod::Put) | static_cast<unsigned>(HttpMethod::Delete) |
                            static_cast<unsigned>(HttpMethod::Other);
    EXPECT_EQ(0u, rule.methods & writes) << rule.name;
    if (rule.methods & static_cast<unsigned>(HttpMethod::Post))
    {
      EXPECT_EQ(RouteAccess::Public, rule.access) << rule.name << ": only StudyShare's own public API takes POST";
    }
  }
}

TEST(RequestGrammarTests, AccessNames)
{
  EXPECT_STREQ("public", ToString(RouteAccess::Public));
  EXPECT_STREQ("staff-only", ToString(RouteAccess::StaffOnly));
  EXPECT_STREQ("read", ToString(RouteAccess::Read));
  EXPECT_STREQ("download", ToString(RouteAccess::Download));
  EXPECT_STREQ("qido", ToString(RouteAccess::QidoSearch));
  EXPECT_STREQ("wado-uri", ToString(RouteAccess::WadoUri));
  EXPECT_STREQ("any-share", ToString(RouteAccess::AnyShare));
}
