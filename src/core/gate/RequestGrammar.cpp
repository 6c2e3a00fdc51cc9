// SPDX-License-Identifier: GPL-3.0-or-later
#include "RequestGrammar.h"

#include "DicomQueryArguments.h"

#include <stdexcept>

namespace studyshare
{
  const char* ToString(RouteAccess access)
  {
    switch (access)
    {
      case RouteAccess::Public:
        return "public";
      case RouteAccess::StaffOnly:
        return "staff-only";
      case RouteAccess::Read:
        return "read";
      case RouteAccess::Download:
        return "download";
      case RouteAccess::QidoSearch:
        return "qido";
      case RouteAccess::WadoUri:
        return "wado-uri";
      case RouteAccess::AnyShare:
        return "any-share";
    }
    return "unknown";
  }

  namespace
  {
    std::string NormalizeRoot(std::string root)
    {
      while (!root.empty() && root.back() == '/')
      {
        root.pop_back();
      }
      if (root.empty() || root[0] != '/')
      {
        throw std::invalid_argument("a route root must start with '/' and name a folder: '" + root + "'");
      }
      return root;
    }

    std::string Expand(std::string pattern, const std::string& placeholder, const std::string& value)
    {
      const size_t found = pattern.find(placeholder);
      if (found != std::string::npos)
      {
        pattern.replace(found, placeholder.size(), value);
      }
      return pattern;
    }

    constexpr size_t kMaxSegmentLength = 256;

    // A search is only as narrow as its broadest UID filter: Orthanc ignores
    // filters below the level searched (a study search by SeriesInstanceUID
    // returns every study).
    bool IsConstrained(QueryScope scope, const ArgumentReading& reading)
    {
      ResourceLevel searched;
      switch (scope)
      {
        case QueryScope::SearchStudies:
          searched = ResourceLevel::Study;
          break;
        case QueryScope::SearchSeries:
          searched = ResourceLevel::Series;
          break;
        case QueryScope::SearchInstances:
          searched = ResourceLevel::Instance;
          break;
        default:
          return true;
      }
      return reading.broadest && static_cast<int>(*reading.broadest) <= static_cast<int>(searched);
    }

    RequestTarget Refuse(std::string_view route, const std::string& problem)
    {
      RequestTarget target;
      target.access = RouteAccess::StaffOnly;
      target.route = route;
      target.problem = problem;
      return target;
    }
  }

  RequestGrammar::RequestGrammar(const std::vector<RouteRule>& rules, const GrammarSettings& settings)
    : tokenArgument_(settings.tokenArgument)
  {
    const std::string dicomWeb = NormalizeRoot(settings.dicomWebRoot);
    const std::string wado = NormalizeRoot(settings.wadoRoot);
    const std::string ohif = NormalizeRoot(settings.ohifRoot);
    for (const RouteRule& rule : rules)
    {
      const std::string text =
        Expand(Expand(Expand(rule.pattern, "{dicomweb}", dicomWeb), "{wado}", wado), "{ohif}", ohif);
      rules_.push_back({rule, RoutePattern(text)});
    }
  }

  std::optional<PathSegments> RequestGrammar::SplitPath(std::string_view path)
  {
    if (path.empty() || path[0] != '/')
    {
      return std::nullopt;
    }
    for (unsigned char c : path)
    {
      if (c < 0x20 || c == 0x7F || c == '\\')
      {
        return std::nullopt;
      }
    }
    size_t end = path.size();
    while (end > 1 && path[end - 1] == '/')
    {
      end--;
    }
    PathSegments segments;
    size_t start = 1;
    while (start < end)
    {
      size_t slash = path.find('/', start);
      if (slash == std::string_view::npos || slash > end)
      {
        slash = end;
      }
      const std::string_view segment = path.substr(start, slash - start);
      // No route has segments this long; refusing them keeps matching linear.
      if (segment.empty() || segment == "." || segment == ".." || segment.size() > kMaxSegmentLength)
      {
        return std::nullopt;
      }
      segments.push_back(segment);
      start = slash + 1;
    }
    return segments;
  }

  RouteAccess RequestGrammar::ClassifyRoute(HttpMethod method, const std::string& uri) const
  {
    const size_t question = uri.find('?');
    const auto segments = SplitPath(std::string_view(uri).substr(0, question));
    if (!segments)
    {
      return RouteAccess::StaffOnly;
    }
    ResourceViews ignored;
    for (const CompiledRule& compiled : rules_)
    {
      if ((compiled.rule.methods & static_cast<unsigned>(method)) != 0 && compiled.pattern.Match(*segments, ignored))
      {
        if (compiled.rule.access == RouteAccess::WadoUri && question != std::string::npos &&
            WadoUriRetrievesDicom(SplitRawQuery(uri.substr(question + 1))))
        {
          return RouteAccess::Download;
        }
        return compiled.rule.access;
      }
      ignored.clear();
    }
    return RouteAccess::StaffOnly;
  }

  RequestTarget RequestGrammar::Read(HttpMethod method, const std::string& uri, const HttpPairs& arguments) const
  {
    const auto segments = SplitPath(uri);
    if (!segments)
    {
      return Refuse("unreadable-path", "the path is not in the form Orthanc routes");
    }

    for (const CompiledRule& compiled : rules_)
    {
      if ((compiled.rule.methods & static_cast<unsigned>(method)) == 0)
      {
        continue;
      }
      RequestTarget target;
      if (!compiled.pattern.Match(*segments, target.resources))
      {
        continue;
      }
      target.access = compiled.rule.access;
      target.route = compiled.rule.name;

      ArgumentReading reading;
      if (compiled.rule.access == RouteAccess::WadoUri)
      {
        reading = ReadWadoUriArguments(arguments);
      }
      else if (compiled.rule.query != QueryScope::None)
      {
        reading = ReadUidFilters(arguments, tokenArgument_);
      }
      if (!reading.problem.empty())
      {
        return Refuse(target.route, reading.problem);
      }
      if (!IsConstrained(compiled.rule.query, reading))
      {
        return Refuse(target.route, "a search without a UID filter at its own level or above");
      }
      target.resources.insert(target.resources.end(), reading.resources.begin(), reading.resources.end());
      if (reading.retrievesDicom)
      {
        target.access = RouteAccess::Download;
      }
      return target;
    }
    RequestTarget target;
    target.route = "unlisted";
    return target;
  }
}
