// SPDX-License-Identifier: GPL-3.0-or-later
#include "TrustedProxies.h"

#include "TextUtilities.h"

#include <stdexcept>

namespace studyshare
{
  namespace
  {
    std::string_view TrimSpaces(std::string_view text)
    {
      while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
      {
        text.remove_prefix(1);
      }
      while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
      {
        text.remove_suffix(1);
      }
      return text;
    }

    bool IsPort(std::string_view text)
    {
      return !text.empty() && text.size() <= 5 && text.find_first_not_of("0123456789") == std::string_view::npos;
    }

    void SplitCommas(std::string_view value, std::vector<std::string>& out)
    {
      size_t start = 0;
      while (start <= value.size())
      {
        const size_t comma = value.find(',', start);
        const size_t end = comma == std::string_view::npos ? value.size() : comma;
        out.emplace_back(TrimSpaces(value.substr(start, end - start)));
        start = end + 1;
      }
    }

    // The value of for= in one Forwarded element ("for=a;proto=https"),
    // unquoted; empty when the element has none or is malformed.
    std::string ForOf(std::string_view element)
    {
      std::string found;
      size_t start = 0;
      while (start <= element.size())
      {
        const size_t semicolon = element.find(';', start);
        const size_t end = semicolon == std::string_view::npos ? element.size() : semicolon;
        const std::string_view pair = TrimSpaces(element.substr(start, end - start));
        start = end + 1;
        const size_t equals = pair.find('=');
        if (equals == std::string_view::npos || ToLowerAscii(std::string(TrimSpaces(pair.substr(0, equals)))) != "for")
        {
          continue;
        }
        if (!found.empty())
        {
          return "";  // two for= in one element: which hop is it? Neither.
        }
        std::string_view value = TrimSpaces(pair.substr(equals + 1));
        if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
        {
          value = value.substr(1, value.size() - 2);
        }
        found = std::string(value);
      }
      return found;
    }

    // Forwarded elements, split at commas outside quoted strings (a quoted
    // value may hold a comma; a backslash escapes inside quotes).
    void SplitForwardedElements(std::string_view value, std::vector<std::string>& out)
    {
      std::string current;
      bool quoted = false;
      bool escaped = false;
      for (const char c : value)
      {
        if (escaped)
        {
          escaped = false;
        }
        else if (quoted && c == '\\')
        {
          escaped = true;
        }
        else if (c == '"')
        {
          quoted = !quoted;
        }
        else if (c == ',' && !quoted)
        {
          out.push_back(ForOf(current));
          current.clear();
          continue;
        }
        current.push_back(c);
      }
      // An unterminated quote leaves the last element unreadable.
      out.push_back(quoted ? std::string() : ForOf(current));
    }
  }

  std::optional<IpAddress> ParseForwardedNode(std::string_view node)
  {
    node = TrimSpaces(node);
    if (!node.empty() && node.front() == '[')
    {
      const size_t close = node.find(']');
      if (close == std::string_view::npos)
      {
        return std::nullopt;
      }
      const std::string_view after = node.substr(close + 1);
      if (!after.empty() && !(after.front() == ':' && IsPort(after.substr(1))))
      {
        return std::nullopt;
      }
      return IpAddress::Parse(node.substr(1, close - 1));
    }
    const size_t colon = node.find(':');
    if (colon != std::string_view::npos && node.find(':', colon + 1) == std::string_view::npos)
    {
      // "a.b.c.d:port": one colon cannot be IPv6.
      if (!IsPort(node.substr(colon + 1)))
      {
        return std::nullopt;
      }
      return IpAddress::Parse(node.substr(0, colon));
    }
    return IpAddress::Parse(node);
  }

  ForwardedHeader ParseForwardedHeaderName(const std::string& name)
  {
    const std::string lower = ToLowerAscii(name);
    if (lower == "x-forwarded-for")
    {
      return ForwardedHeader::XForwardedFor;
    }
    if (lower == "forwarded")
    {
      return ForwardedHeader::Forwarded;
    }
    throw std::invalid_argument("must be X-Forwarded-For or Forwarded, not '" + name + "'");
  }

  TrustedProxies::TrustedProxies(const std::vector<std::string>& ranges, ForwardedHeader header) : header_(header)
  {
    for (const std::string& range : ranges)
    {
      ranges_.push_back(IpRange::Parse(range));
    }
  }

  bool TrustedProxies::IsTrusted(const IpAddress& address) const
  {
    for (const IpRange& range : ranges_)
    {
      if (range.Contains(address))
      {
        return true;
      }
    }
    return false;
  }

  std::vector<std::string> TrustedProxies::ChainOf(const HttpPairs& headers) const
  {
    // Repeated header lines form one list, in arrival order (RFC 9110 5.3).
    const char* name = header_ == ForwardedHeader::Forwarded ? "forwarded" : "x-forwarded-for";
    std::vector<std::string> chain;
    for (const auto& [key, value] : headers)
    {
      if (ToLowerAscii(key) != name)
      {
        continue;
      }
      if (header_ == ForwardedHeader::Forwarded)
      {
        SplitForwardedElements(value, chain);
      }
      else
      {
        SplitCommas(value, chain);
      }
    }
    return chain;
  }

  std::string TrustedProxies::ClientAddressOf(const std::string& peer, const HttpPairs& headers) const
  {
    const auto peerAddress = IpAddress::Parse(peer);
    if (!peerAddress)
    {
      return peer;
    }
    IpAddress client = *peerAddress;
    if (!IsTrusted(client))
    {
      return client.ToString();
    }
    const std::vector<std::string> chain = ChainOf(headers);
    for (auto entry = chain.rbegin(); entry != chain.rend(); ++entry)
    {
      const auto hop = ParseForwardedNode(*entry);
      if (!hop)
      {
        break;
      }
      client = *hop;
      if (!IsTrusted(client))
      {
        break;
      }
    }
    return client.ToString();
  }
}
