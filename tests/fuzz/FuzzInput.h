// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "HttpRequest.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

// Helpers shared by the libFuzzer targets of this folder.
namespace studyshare::fuzz
{
  inline std::string Text(const uint8_t* data, size_t size)
  {
    return std::string(reinterpret_cast<const char*>(data), size);
  }

  // "path?query": the query split on '&' and the first '=', as Orthanc hands GET arguments over.
  inline void SplitUri(const std::string& input, std::string& path, HttpPairs& arguments)
  {
    const size_t question = input.find('?');
    path = input.substr(0, question);
    if (question == std::string::npos)
    {
      return;
    }
    const std::string query = input.substr(question + 1);
    size_t start = 0;
    while (start <= query.size())
    {
      size_t end = query.find('&', start);
      if (end == std::string::npos)
      {
        end = query.size();
      }
      const std::string item = query.substr(start, end - start);
      const size_t equal = item.find('=');
      arguments.emplace_back(item.substr(0, equal), equal == std::string::npos ? "" : item.substr(equal + 1));
      start = end + 1;
    }
  }

  // A property the parser promises; a violation is a crash libFuzzer reports.
  inline void Require(bool holds)
  {
    if (!holds)
    {
      std::abort();
    }
  }
}
