// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>
#include <string_view>

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

  // The same, borrowed: the gate reads a request into views of the request's
  // own path and arguments, so that a decision copies nothing. A view is
  // valid only while the text it was read from lives.
  struct ResourceView
  {
    ResourceLevel level = ResourceLevel::Study;
    IdKind kind = IdKind::OrthancId;
    std::string_view value;

    ResourceView() = default;
    ResourceView(ResourceLevel atLevel, IdKind ofKind, std::string_view text)
      : level(atLevel), kind(ofKind), value(text)
    {
    }
    ResourceView(const ResourceRef& resource)  // NOLINT(google-explicit-constructor): a ref is a view of itself
      : level(resource.level), kind(resource.kind), value(resource.value)
    {
    }

    ResourceRef ToRef() const { return {level, kind, std::string(value)}; }
  };

  inline bool operator==(const ResourceView& a, const ResourceView& b)
  {
    return a.level == b.level && a.kind == b.kind && a.value == b.value;
  }

  // Orthanc identifiers are SHA-1 digests printed as five dash-separated
  // groups of eight lower-case hex digits.
  bool IsOrthancId(std::string_view text);

  // DICOM UIDs: digits and dots, at most 64 characters (PS3.5 §9.1).
  bool IsDicomUid(std::string_view text);
}
