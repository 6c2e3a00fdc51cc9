// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>

namespace studyshare
{
  enum class ResourceLevel
  {
    Patient,
    Study,
    Series,
    Instance
  };

  enum class IdKind
  {
    OrthancId,
    DicomUid
  };

  const char* ToString(ResourceLevel level);

  // One DICOM resource named by a request, as the request names it.
  struct ResourceRef
  {
    ResourceLevel level = ResourceLevel::Study;
    IdKind kind = IdKind::OrthancId;
    std::string value;

    bool operator==(const ResourceRef& other) const
    {
      return level == other.level && kind == other.kind && value == other.value;
    }
  };

  // Orthanc identifiers are SHA-1 digests printed as five dash-separated
  // groups of eight lower-case hex digits.
  bool IsOrthancId(const std::string& text);

  // DICOM UIDs: digits and dots, at most 64 characters (PS3.5 §9.1).
  bool IsDicomUid(const std::string& text);
}
