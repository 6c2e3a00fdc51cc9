// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace studyshare
{
  // An IPv4 or IPv6 address, kept as 16 bytes (IPv4 as ::ffff:a.b.c.d) so
  // that one comparison serves both families and "::ffff:10.1.2.3" and
  // "10.1.2.3" are the same client.
  class IpAddress
  {
  public:
    // Plain address text only ("10.1.2.3", "2001:db8::1"): no port, brackets
    // or zone; anything else is nullopt.
    static std::optional<IpAddress> Parse(std::string_view text);

    // The one spelling of this address (IPv4 dotted, IPv6 RFC 5952), so
    // limiters and the audit never see one client under two names.
    std::string ToString() const;

    bool IsIpv4() const;
    const std::array<uint8_t, 16>& Bytes() const { return bytes_; }

  private:
    std::array<uint8_t, 16> bytes_{};
  };

  // An address range: "10.0.0.0/8", "2001:db8::/32", or one address.
  class IpRange
  {
  public:
    // Throws std::invalid_argument naming the text when it is not a range,
    // or when bits are set beyond the prefix (a typo such as "10.1.0.0/8").
    static IpRange Parse(std::string_view text);

    bool Contains(const IpAddress& address) const;

  private:
    IpAddress network_;
    unsigned prefixBits_ = 128;  // over the 16-byte form
  };
}
