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

  // "path?query": the path, and the query as Orthanc hands GET arguments over.
  inline void SplitUri(const std::string& input, std::string& path, HttpPairs& arguments)
  {
    const size_t question = input.find('?');
    path = input.substr(0, question);
    if (question != std::string::npos)
    {
      arguments = SplitRawQuery(input.substr(question + 1));
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
