// SPDX-License-Identifier: GPL-3.0-or-later
#include "ResourceRef.h"

namespace studyshare
{
  const char* ToString(ResourceLevel level)
  {
    switch (level)
    {
      case ResourceLevel::Patient:
        return "Patient";
      case ResourceLevel::Study:
        return "Study";
      case ResourceLevel::Series:
        return "Series";
      case ResourceLevel::Instance:
        return "Instance";
    }
    return "Unknown";
  }

  bool IsOrthancId(std::string_view text)
  {
    if (text.size() != 44)
    {
      return false;
    }
    for (size_t i = 0; i < text.size(); i++)
    {
      const char c = text[i];
      if (i % 9 == 8)
      {
        if (c != '-')
        {
          return false;
        }
      }
      else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
      {
        return false;
      }
    }
    return true;
  }

  bool IsDicomUid(std::string_view text)
  {
    if (text.empty() || text.size() > 64 || text.front() == '.' || text.back() == '.')
    {
      return false;
    }
    for (char c : text)
    {
      if (!((c >= '0' && c <= '9') || c == '.'))
      {
        return false;
      }
    }
    return true;
  }
}
