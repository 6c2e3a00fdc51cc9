// SPDX-License-Identifier: GPL-3.0-or-later
#include "IpAddress.h"

#include <arpa/inet.h>

#include <cstring>
#include <stdexcept>

namespace studyshare
{
  namespace
  {
    constexpr size_t kMaxAddressText = 64;  // longer than any IPv6 text
    constexpr std::array<uint8_t, 12> kV4MappedPrefix = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  }

  std::optional<IpAddress> IpAddress::Parse(std::string_view text)
  {
    if (text.empty() || text.size() > kMaxAddressText)
    {
      return std::nullopt;
    }
    const std::string copy(text);  // inet_pton needs a terminated string
    IpAddress address;
    in_addr v4{};
    if (inet_pton(AF_INET, copy.c_str(), &v4) == 1)
    {
      std::memcpy(address.bytes_.data(), kV4MappedPrefix.data(), kV4MappedPrefix.size());
      std::memcpy(address.bytes_.data() + 12, &v4, 4);
      return address;
    }
    in6_addr v6{};
    if (inet_pton(AF_INET6, copy.c_str(), &v6) == 1)
    {
      std::memcpy(address.bytes_.data(), &v6, 16);
      return address;
    }
    return std::nullopt;
  }

  bool IpAddress::IsIpv4() const
  {
    return std::memcmp(bytes_.data(), kV4MappedPrefix.data(), kV4MappedPrefix.size()) == 0;
  }

  std::string IpAddress::ToString() const
  {
    char text[INET6_ADDRSTRLEN] = {};
    if (IsIpv4())
    {
      inet_ntop(AF_INET, bytes_.data() + 12, text, sizeof(text));
    }
    else
    {
      inet_ntop(AF_INET6, bytes_.data(), text, sizeof(text));
    }
    return text;
  }

  IpRange IpRange::Parse(std::string_view text)
  {
    const std::string shown(text.substr(0, kMaxAddressText));
    const size_t slash = text.find('/');
    const auto address = IpAddress::Parse(text.substr(0, slash));
    if (!address)
    {
      throw std::invalid_argument("not an IP address or CIDR range: '" + shown + "'");
    }
    IpRange range;
    range.network_ = *address;
    const unsigned familyBits = address->IsIpv4() ? 32 : 128;
    unsigned prefix = familyBits;
    if (slash != std::string_view::npos)
    {
      const std::string_view digits = text.substr(slash + 1);
      if (digits.empty() || digits.size() > 3 || digits.find_first_not_of("0123456789") != std::string_view::npos)
      {
        throw std::invalid_argument("bad prefix length in '" + shown + "'");
      }
      prefix = static_cast<unsigned>(std::stoul(std::string(digits)));
      if (prefix > familyBits)
      {
        throw std::invalid_argument("prefix length above " + std::to_string(familyBits) + " in '" + shown + "'");
      }
    }
    range.prefixBits_ = prefix + (128 - familyBits);
    const auto& bytes = address->Bytes();
    for (unsigned bit = range.prefixBits_; bit < 128; bit++)
    {
      if (bytes[bit / 8] & (0x80u >> (bit % 8)))
      {
        throw std::invalid_argument("'" + shown + "' has bits set after its prefix length");
      }
    }
    return range;
  }

  bool IpRange::Contains(const IpAddress& address) const
  {
    const auto& a = address.Bytes();
    const auto& n = network_.Bytes();
    const unsigned fullBytes = prefixBits_ / 8;
    if (std::memcmp(a.data(), n.data(), fullBytes) != 0)
    {
      return false;
    }
    const unsigned rest = prefixBits_ % 8;
    if (rest == 0)
    {
      return true;
    }
    const uint8_t mask = static_cast<uint8_t>(0xffu << (8 - rest));
    return (a[fullBytes] & mask) == (n[fullBytes] & mask);
  }
}
