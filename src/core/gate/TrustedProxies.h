// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "HttpRequest.h"
#include "IpAddress.h"

#include <string>
#include <vector>

namespace studyshare
{
  // Which header the trusted proxies write the client's address in.
  // Only one is read: a proxy that sets X-Forwarded-For passes a client's
  // own "Forwarded" through untouched, so reading both would let a client
  // name itself.
  enum class ForwardedHeader
  {
    XForwardedFor,  // "X-Forwarded-For: client, proxy1"
    Forwarded       // RFC 7239 "Forwarded: for=client, for=proxy1"
  };

  // The client's address behind reverse proxies ("TrustedProxies").
  // When the direct peer is trusted, the client is the right-most entry of
  // the forwarded chain that is not itself trusted; entries left of it were
  // written by the client and are never read. When the peer is not trusted
  // the header is ignored. A malformed entry ends the walk at the last hop
  // a trusted proxy vouched for: garbage never becomes a client's address.
  class TrustedProxies
  {
  public:
    TrustedProxies() = default;  // none trusted: the peer is the client

    // Throws std::invalid_argument naming the first entry that is not an
    // address or CIDR range.
    TrustedProxies(const std::vector<std::string>& ranges, ForwardedHeader header);

    bool Empty() const { return ranges_.empty(); }
    bool IsTrusted(const IpAddress& address) const;

    // The client address in its one spelling (or `peer` unchanged when the
    // peer is not an address, e.g. empty).
    std::string ClientAddressOf(const std::string& peer, const HttpPairs& headers) const;

  private:
    std::vector<std::string> ChainOf(const HttpPairs& headers) const;

    std::vector<IpRange> ranges_;
    ForwardedHeader header_ = ForwardedHeader::XForwardedFor;
  };

  ForwardedHeader ParseForwardedHeaderName(const std::string& name);  // throws std::invalid_argument

  // One entry of a forwarded chain as proxies write it ("10.1.2.3",
  // "10.1.2.3:4711", "[2001:db8::1]:4711", "2001:db8::1"), quotes already
  // removed; nullopt for anything else ("unknown", "_hidden", a zone, junk).
  std::optional<IpAddress> ParseForwardedNode(std::string_view node);
}
