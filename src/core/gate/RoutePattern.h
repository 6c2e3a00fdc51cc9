// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "RequestTarget.h"

#include <boost/container/small_vector.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace studyshare
{
  // A path's segments, borrowed from the path; the longest route has 8.
  using PathSegments = boost::container::small_vector<std::string_view, 12>;

  // One path pattern of the route table, compiled once. Syntax, segment by
  // segment (segments are separated by '/'):
  //   literal        matches itself, case-sensitively (as Orthanc routes)
  //   {study} {series} {instance} {patient}
  //                  an Orthanc identifier of that level
  //   {study-uid} {series-uid} {instance-uid}
  //                  a DICOM UID of that level
  //   {*}            any non-empty text (inside a segment, e.g. "{*}-{instance}_{*}")
  //   *              any one segment
  //   **             any number of remaining segments (last only)
  class RoutePattern
  {
  public:
    explicit RoutePattern(const std::string& pattern);  // throws std::invalid_argument

    // Appends the captured resources to `captured` on success.
    // The captures borrow the segments' text.
    bool Match(const PathSegments& segments, ResourceViews& captured) const;

    const std::string& GetText() const { return text_; }

  private:
    enum class PartKind
    {
      Literal,
      Any,
      Resource
    };

    struct Part
    {
      PartKind kind = PartKind::Literal;
      std::string literal;
      ResourceLevel level = ResourceLevel::Study;
      IdKind idKind = IdKind::OrthancId;
    };

    struct Segment
    {
      bool anySegment = false;
      bool rest = false;
      std::vector<Part> parts;
    };

    static Segment CompileSegment(const std::string& text);
    static bool MatchParts(const std::vector<Part>& parts, size_t partIndex, std::string_view text, size_t position,
                           ResourceViews& captured);

    std::string text_;
    std::vector<Segment> segments_;
  };
}
