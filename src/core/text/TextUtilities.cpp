// SPDX-License-Identifier: GPL-3.0-or-later
#include "TextUtilities.h"

namespace studyshare
{
  namespace
  {
    char LowerAscii(char c)
    {
      return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    }
  }

  bool EqualsIgnoreCase(std::string_view a, std::string_view b)
  {
    if (a.size() != b.size())
    {
      return false;
    }
    for (size_t i = 0; i < a.size(); i++)
    {
      if (LowerAscii(a[i]) != LowerAscii(b[i]))
      {
        return false;
      }
    }
    return true;
  }

  std::string ToLowerAscii(std::string_view text)
  {
    std::string lower(text);
    for (char& c : lower)
    {
      c = LowerAscii(c);
    }
    return lower;
  }

  bool StartsWith(std::string_view text, std::string_view prefix)
  {
    return text.substr(0, prefix.size()) == prefix;
  }

  std::vector<std::string> Split(std::string_view text, char separator)
  {
    std::vector<std::string> parts;
    size_t start = 0;
    while (true)
    {
      const size_t end = text.find(separator, start);
      parts.emplace_back(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
      if (end == std::string_view::npos)
      {
        return parts;
      }
      start = end + 1;
    }
  }

  std::string_view TrimView(std::string_view text)
  {
    const size_t first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos)
    {
      return {};
    }
    const size_t last = text.find_last_not_of(" \t\r\n");
    return text.substr(first, last - first + 1);
  }

  std::string Trim(std::string_view text)
  {
    return std::string(TrimView(text));
  }
}
