// SPDX-License-Identifier: GPL-3.0-or-later
#include "RoutePattern.h"

#include "TextUtilities.h"

#include <algorithm>
#include <stdexcept>

namespace studyshare
{
  namespace
  {
    struct Placeholder
    {
      const char* name;
      ResourceLevel level;
      IdKind kind;
    };

    const Placeholder kPlaceholders[] = {
      {"patient", ResourceLevel::Patient, IdKind::OrthancId},
      {"study", ResourceLevel::Study, IdKind::OrthancId},
      {"series", ResourceLevel::Series, IdKind::OrthancId},
      {"instance", ResourceLevel::Instance, IdKind::OrthancId},
      {"study-uid", ResourceLevel::Study, IdKind::DicomUid},
      {"series-uid", ResourceLevel::Series, IdKind::DicomUid},
      {"instance-uid", ResourceLevel::Instance, IdKind::DicomUid},
    };

    bool IsValidCapture(IdKind kind, std::string_view value)
    {
      return kind == IdKind::OrthancId ? IsOrthancId(value) : IsDicomUid(value);
    }
  }

  RoutePattern::RoutePattern(const std::string& pattern) : text_(pattern)
  {
    if (pattern.empty() || pattern[0] != '/')
    {
      throw std::invalid_argument("route pattern must start with '/': " + pattern);
    }
    // "/" alone is the server's root: no segment at all.
    const std::vector<std::string> pieces = pattern == "/" ? std::vector<std::string>() : Split(pattern.substr(1), '/');
    for (size_t i = 0; i < pieces.size(); i++)
    {
      if (pieces[i].empty())
      {
        throw std::invalid_argument("empty segment in route pattern: " + pattern);
      }
      Segment segment = CompileSegment(pieces[i]);
      if (segment.rest && i + 1 != pieces.size())
      {
        throw std::invalid_argument("'**' must end the route pattern: " + pattern);
      }
      segments_.push_back(std::move(segment));
    }
  }

  RoutePattern::Segment RoutePattern::CompileSegment(const std::string& text)
  {
    Segment segment;
    if (text == "*")
    {
      segment.anySegment = true;
      return segment;
    }
    if (text == "**")
    {
      segment.rest = true;
      return segment;
    }
    size_t position = 0;
    while (position < text.size())
    {
      const size_t open = text.find('{', position);
      if (open != position)
      {
        Part literal;
        literal.literal = text.substr(position, open == std::string::npos ? std::string::npos : open - position);
        segment.parts.push_back(literal);
        if (open == std::string::npos)
        {
          break;
        }
      }
      const size_t close = text.find('}', open);
      if (close == std::string::npos)
      {
        throw std::invalid_argument("unclosed '{' in route segment: " + text);
      }
      const std::string name = text.substr(open + 1, close - open - 1);
      Part part;
      if (name == "*")
      {
        part.kind = PartKind::Any;
      }
      else
      {
        bool known = false;
        for (const Placeholder& placeholder : kPlaceholders)
        {
          if (name == placeholder.name)
          {
            part.kind = PartKind::Resource;
            part.level = placeholder.level;
            part.idKind = placeholder.kind;
            known = true;
          }
        }
        if (!known)
        {
          throw std::invalid_argument("unknown placeholder {" + name + "}");
        }
      }
      if (!segment.parts.empty() && segment.parts.back().kind != PartKind::Literal)
      {
        throw std::invalid_argument("two placeholders must be separated by text: " + text);
      }
      segment.parts.push_back(part);
      position = close + 1;
    }
    return segment;
  }

  bool RoutePattern::MatchParts(const std::vector<Part>& parts, size_t partIndex, std::string_view text,
                                size_t position, ResourceViews& captured)
  {
    if (partIndex == parts.size())
    {
      return position == text.size();
    }
    const Part& part = parts[partIndex];
    if (part.kind == PartKind::Literal)
    {
      return text.compare(position, part.literal.size(), part.literal) == 0 &&
             MatchParts(parts, partIndex + 1, text, position + part.literal.size(), captured);
    }
    // A capture takes 1..n characters (an Orthanc ID exactly 44, a UID at
    // most 64); try the shortest spans first.
    size_t shortest = position + 1;
    size_t longest = text.size();
    if (part.kind == PartKind::Resource)
    {
      const size_t width = part.idKind == IdKind::OrthancId ? 44 : 64;
      longest = std::min(longest, position + width);
      if (part.idKind == IdKind::OrthancId)
      {
        shortest = position + 44;
      }
    }
    for (size_t end = shortest; end <= longest; end++)
    {
      const std::string_view value = text.substr(position, end - position);
      if (part.kind == PartKind::Resource && !IsValidCapture(part.idKind, value))
      {
        continue;
      }
      const size_t mark = captured.size();
      if (part.kind == PartKind::Resource)
      {
        captured.push_back({part.level, part.idKind, value});
      }
      if (MatchParts(parts, partIndex + 1, text, end, captured))
      {
        return true;
      }
      captured.resize(mark);
    }
    return false;
  }

  bool RoutePattern::Match(const PathSegments& segments, ResourceViews& captured) const
  {
    const size_t mark = captured.size();
    size_t i = 0;
    for (; i < segments_.size(); i++)
    {
      const Segment& segment = segments_[i];
      if (segment.rest)
      {
        return true;
      }
      if (i >= segments.size())
      {
        captured.resize(mark);
        return false;
      }
      if (segment.anySegment)
      {
        continue;
      }
      if (!MatchParts(segment.parts, 0, segments[i], 0, captured))
      {
        captured.resize(mark);
        return false;
      }
    }
    if (i != segments.size())
    {
      captured.resize(mark);
      return false;
    }
    return true;
  }
}
