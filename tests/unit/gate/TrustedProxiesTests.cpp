// SPDX-License-Identifier: GPL-3.0-or-later
#include "TrustedProxies.h"

#include <gtest/gtest.h>

#include <stdexcept>

using namespace studyshare;

namespace
{
  struct ClientCase
  {
    const char* name;
    const char* peer;
    HttpPairs headers;
    const char* expected;
  };

  std::ostream& operator<<(std::ostream& out, const ClientCase& c)
  {
    return out << c.name;
  }

  // Trusted: loopback of both families, a private /8, an IPv6 /32.
  const TrustedProxies& Proxies(ForwardedHeader header)
  {
    static const TrustedProxies xff({"127.0.0.1", "::1", "10.0.0.0/8", "2001:db8::/32"},
                                    ForwardedHeader::XForwardedFor);
    static const TrustedProxies forwarded({"127.0.0.1", "::1", "10.0.0.0/8", "2001:db8::/32"},
                                          ForwardedHeader::Forwarded);
    return header == ForwardedHeader::Forwarded ? forwarded : xff;
  }

  class XForwardedForTable : public testing::TestWithParam<ClientCase>
  {
  };

  class ForwardedTable : public testing::TestWithParam<ClientCase>
  {
  };

  HttpPairs Xff(const std::string& value)
  {
    return {{"X-Forwarded-For", value}};
  }

  HttpPairs Fwd(const std::string& value)
  {
    return {{"Forwarded", value}};
  }
}

TEST_P(XForwardedForTable, ClientIsTheRightMostUntrustedEntry)
{
  const ClientCase& c = GetParam();
  EXPECT_EQ(c.expected, Proxies(ForwardedHeader::XForwardedFor).ClientAddressOf(c.peer, c.headers));
}

INSTANTIATE_TEST_SUITE_P(
  Headers, XForwardedForTable,
  testing::Values(
    ClientCase{"no header: the peer", "127.0.0.1", {}, "127.0.0.1"},
    ClientCase{"one hop", "127.0.0.1", Xff("203.0.113.7"), "203.0.113.7"},
    ClientCase{"untrusted peer: header ignored", "198.51.100.1", Xff("203.0.113.7"), "198.51.100.1"},
    ClientCase{"spoofed left-most entry changes nothing", "127.0.0.1", Xff("1.1.1.1, 203.0.113.7"), "203.0.113.7"},
    ClientCase{"many spoofed entries", "127.0.0.1", Xff("9.9.9.9, 8.8.8.8, 1.1.1.1, 203.0.113.7"), "203.0.113.7"},
    ClientCase{"trusted hops are skipped", "127.0.0.1", Xff("203.0.113.7, 10.1.2.3, 10.9.9.9"), "203.0.113.7"},
    ClientCase{"all hops trusted: the left-most hop", "127.0.0.1", Xff("10.1.2.3, 10.9.9.9"), "10.1.2.3"},
    ClientCase{"header lines join in order", "127.0.0.1",
               HttpPairs{{"X-Forwarded-For", "1.1.1.1"}, {"x-forwarded-for", "203.0.113.7"}}, "203.0.113.7"},
    ClientCase{"header name in any case", "127.0.0.1", HttpPairs{{"X-FORWARDED-FOR", "203.0.113.7"}}, "203.0.113.7"},
    ClientCase{"IPv4 with a port", "127.0.0.1", Xff("203.0.113.7:4711"), "203.0.113.7"},
    ClientCase{"IPv6 client", "::1", Xff("2a00:1450::1"), "2a00:1450::1"},
    ClientCase{"IPv6 in brackets with a port", "::1", Xff("[2a00:1450::1]:443"), "2a00:1450::1"},
    ClientCase{"IPv6 spelled long is one client", "::1", Xff("2a00:1450:0000:0000:0000:0000:0000:0001"),
               "2a00:1450::1"},
    ClientCase{"IPv4-mapped peer is trusted like IPv4", "::ffff:127.0.0.1", Xff("203.0.113.7"), "203.0.113.7"},
    ClientCase{"IPv4-mapped client is spelled IPv4", "127.0.0.1", Xff("::ffff:203.0.113.7"), "203.0.113.7"},
    ClientCase{"trusted IPv6 range hop skipped", "::1", Xff("203.0.113.7, 2001:db8::5"), "203.0.113.7"},
    ClientCase{"garbage entry stops at the last trusted hop", "127.0.0.1", Xff("203.0.113.7, garbage"), "127.0.0.1"},
    ClientCase{"garbage left of the client is never read", "127.0.0.1", Xff("garbage, 203.0.113.7"), "203.0.113.7"},
    ClientCase{"garbage behind a trusted hop", "127.0.0.1", Xff("garbage, 10.1.2.3"), "10.1.2.3"},
    ClientCase{"empty header", "127.0.0.1", Xff(""), "127.0.0.1"},
    ClientCase{"only commas", "127.0.0.1", Xff(",,,"), "127.0.0.1"},
    ClientCase{"trailing comma", "127.0.0.1", Xff("203.0.113.7,"), "127.0.0.1"},
    ClientCase{"unknown", "127.0.0.1", Xff("unknown"), "127.0.0.1"},
    ClientCase{"zone id", "::1", Xff("fe80::1%eth0"), "::1"},
    ClientCase{"host name", "127.0.0.1", Xff("evil.example"), "127.0.0.1"},
    ClientCase{"CIDR as an entry", "127.0.0.1", Xff("10.0.0.0/8"), "127.0.0.1"},
    ClientCase{"bad port", "127.0.0.1", Xff("203.0.113.7:http"), "127.0.0.1"},
    ClientCase{"port too long", "127.0.0.1", Xff("203.0.113.7:123456"), "127.0.0.1"},
    ClientCase{"unclosed bracket", "::1", Xff("[2a00:1450::1"), "::1"},
    ClientCase{"IPv4 in brackets", "127.0.0.1", Xff("[203.0.113.7]"), "203.0.113.7"},
    ClientCase{"octal-looking IPv4 is refused", "127.0.0.1", Xff("010.1.2.3"), "127.0.0.1"},
    ClientCase{"short IPv4 is refused", "127.0.0.1", Xff("1.2.3"), "127.0.0.1"},
    ClientCase{"IPv4 out of range", "127.0.0.1", Xff("256.1.2.3"), "127.0.0.1"},
    ClientCase{"NUL byte", "127.0.0.1", Xff(std::string("203.0.113.7\0, 1.1.1.1", 22)), "1.1.1.1"},
    ClientCase{"very long entry", "127.0.0.1", Xff(std::string(100000, '1')), "127.0.0.1"},
    ClientCase{"spaces and tabs around entries", "127.0.0.1", Xff(" \t203.0.113.7\t "), "203.0.113.7"},
    ClientCase{"Forwarded header ignored when X-Forwarded-For is read", "127.0.0.1",
               HttpPairs{{"Forwarded", "for=1.1.1.1"}, {"X-Forwarded-For", "203.0.113.7"}}, "203.0.113.7"},
    ClientCase{"only a Forwarded header: the peer", "127.0.0.1", Fwd("for=1.1.1.1"), "127.0.0.1"},
    ClientCase{"peer that is not an address is kept", "", Xff("203.0.113.7"), ""},
    ClientCase{"untrusted peer is spelled canonically", "::FFFF:198.51.100.1", {}, "198.51.100.1"}),
  [](const testing::TestParamInfo<ClientCase>& row) { return "case" + std::to_string(row.index); });

TEST_P(ForwardedTable, ClientIsTheRightMostUntrustedFor)
{
  const ClientCase& c = GetParam();
  EXPECT_EQ(c.expected, Proxies(ForwardedHeader::Forwarded).ClientAddressOf(c.peer, c.headers));
}

INSTANTIATE_TEST_SUITE_P(
  Headers, ForwardedTable,
  testing::Values(
    ClientCase{"one hop", "127.0.0.1", Fwd("for=203.0.113.7"), "203.0.113.7"},
    ClientCase{"with other parameters", "127.0.0.1", Fwd("for=203.0.113.7;proto=https;by=10.0.0.1"), "203.0.113.7"},
    ClientCase{"parameter name in any case", "127.0.0.1", Fwd("For=203.0.113.7"), "203.0.113.7"},
    ClientCase{"quoted IPv6 with port", "::1", Fwd("for=\"[2a00:1450::1]:4711\""), "2a00:1450::1"},
    ClientCase{"spoofed left element", "127.0.0.1", Fwd("for=1.1.1.1, for=203.0.113.7"), "203.0.113.7"},
    ClientCase{"quoted comma does not split", "127.0.0.1", Fwd("for=\"1.1.1.1,2.2.2.2\", for=203.0.113.7"),
               "203.0.113.7"},
    ClientCase{"quoted comma in the right-most element is junk", "127.0.0.1",
               Fwd("for=203.0.113.7, for=\"1.1.1.1,2.2.2.2\""), "127.0.0.1"},
    ClientCase{"trusted hops skipped", "127.0.0.1", Fwd("for=203.0.113.7, for=10.1.2.3"), "203.0.113.7"},
    ClientCase{"obfuscated identifier stops", "127.0.0.1", Fwd("for=203.0.113.7, for=_hidden"), "127.0.0.1"},
    ClientCase{"unknown stops", "127.0.0.1", Fwd("for=unknown"), "127.0.0.1"},
    ClientCase{"element without for stops", "127.0.0.1", Fwd("for=203.0.113.7, proto=https"), "127.0.0.1"},
    ClientCase{"two for in one element stops", "127.0.0.1", Fwd("for=1.1.1.1;for=203.0.113.7"), "127.0.0.1"},
    ClientCase{"unterminated quote stops", "127.0.0.1", Fwd("for=\"203.0.113.7"), "127.0.0.1"},
    ClientCase{"escaped quote inside quotes", "127.0.0.1", Fwd("for=\"a\\\",b\", for=203.0.113.7"), "203.0.113.7"},
    ClientCase{"X-Forwarded-For ignored when Forwarded is read", "127.0.0.1",
               HttpPairs{{"X-Forwarded-For", "1.1.1.1"}, {"Forwarded", "for=203.0.113.7"}}, "203.0.113.7"},
    ClientCase{"untrusted peer: ignored", "198.51.100.1", Fwd("for=203.0.113.7"), "198.51.100.1"},
    ClientCase{"empty for", "127.0.0.1", Fwd("for="), "127.0.0.1"},
    ClientCase{"semicolons only", "127.0.0.1", Fwd(";;;"), "127.0.0.1"}),
  [](const testing::TestParamInfo<ClientCase>& row) { return "case" + std::to_string(row.index); });

TEST(TrustedProxiesTests, NoneTrustedByDefault)
{
  const TrustedProxies none;
  EXPECT_TRUE(none.Empty());
  EXPECT_EQ("127.0.0.1", none.ClientAddressOf("127.0.0.1", Xff("203.0.113.7")));
}

TEST(TrustedProxiesTests, BadRangesAreRefusedByName)
{
  for (const char* bad : {"", "10.0.0.0/33", "::/129", "10.0.0.0/", "10.0.0.0/x", "10.1.0.0/8", "localhost",
                          "10.0.0.0/8/8", "2001:db8::1/32", "10.0.0.0/-1", "1.2.3.4:80"})
  {
    EXPECT_THROW(TrustedProxies({bad}, ForwardedHeader::XForwardedFor), std::invalid_argument) << bad;
  }
  try
  {
    TrustedProxies({"127.0.0.1", "10.1.0.0/8"}, ForwardedHeader::XForwardedFor);
    FAIL() << "accepted a range with host bits";
  }
  catch (const std::invalid_argument& e)
  {
    EXPECT_NE(std::string(e.what()).find("10.1.0.0/8"), std::string::npos) << e.what();
  }
}

TEST(TrustedProxiesTests, RangesMatchOnTheirPrefixOnly)
{
  const TrustedProxies proxies({"192.168.4.0/22", "fd00::/8", "0.0.0.0/0"}, ForwardedHeader::XForwardedFor);
  EXPECT_TRUE(proxies.IsTrusted(*IpAddress::Parse("192.168.7.255")));
  EXPECT_TRUE(proxies.IsTrusted(*IpAddress::Parse("8.8.8.8")));  // 0.0.0.0/0: every IPv4, no IPv6
  EXPECT_FALSE(proxies.IsTrusted(*IpAddress::Parse("2a00::1")));
  EXPECT_TRUE(proxies.IsTrusted(*IpAddress::Parse("fdab::1")));

  const TrustedProxies narrow({"192.168.4.0/22"}, ForwardedHeader::XForwardedFor);
  EXPECT_TRUE(narrow.IsTrusted(*IpAddress::Parse("192.168.4.0")));
  EXPECT_FALSE(narrow.IsTrusted(*IpAddress::Parse("192.168.8.0")));
  EXPECT_FALSE(narrow.IsTrusted(*IpAddress::Parse("192.168.3.255")));
  // An IPv4 range never covers IPv6 addresses that merely share bytes.
  EXPECT_FALSE(narrow.IsTrusted(*IpAddress::Parse("c0a8:400::")));
}

TEST(TrustedProxiesTests, HeaderNamesAreChecked)
{
  EXPECT_EQ(ForwardedHeader::XForwardedFor, ParseForwardedHeaderName("x-forwarded-for"));
  EXPECT_EQ(ForwardedHeader::Forwarded, ParseForwardedHeaderName("Forwarded"));
  EXPECT_THROW(ParseForwardedHeaderName("X-Real-IP"), std::invalid_argument);
}
