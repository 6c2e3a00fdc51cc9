// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "HttpRequest.h"
#include "RequestTarget.h"
#include "RoutePattern.h"
#include "RouteTable.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace studyshare
{
  struct GrammarSettings
  {
    std::string dicomWebRoot = "/dicom-web/";
    std::string wadoRoot = "/wado";
    std::string ohifRoot = "/ohif";
    std::string tokenArgument = "token";  // never a DICOM filter
  };

  // Maps (method, path, GET arguments) to what the request touches, driven by
  // the route table. The path is read exactly as Orthanc routes it: already
  // percent-decoded and dot-normalized by the HTTP server, case-sensitive,
  // trailing '/' ignored. Anything it cannot read with certainty comes out
  // StaffOnly with a problem, so the gate refuses it to shares.
  class RequestGrammar
  {
  public:
    RequestGrammar(const std::vector<RouteRule>& rules, const GrammarSettings& settings);

    // The target borrows `uri` and `arguments` (see RequestTarget): temporaries are refused.
    RequestTarget Read(HttpMethod method, const std::string& uri, const HttpPairs& arguments) const;
    RequestTarget Read(HttpMethod method, std::string&& uri, const HttpPairs& arguments) const = delete;
    RequestTarget Read(HttpMethod method, const std::string& uri, HttpPairs&& arguments) const = delete;
    RequestTarget Read(HttpMethod method, std::string&& uri, HttpPairs&& arguments) const = delete;

    // Only the class of the route a path matches (StaffOnly when none),
    // whatever its arguments: what a token service can tell from a `uri`
    // whose resources the caller has already checked. A WADO-URI `uri` may
    // carry its query: `contentType` other than an image makes it Download.
    RouteAccess ClassifyRoute(HttpMethod method, const std::string& uri) const;

    // nullopt when the path is not one Orthanc would route unambiguously.
    // The segments borrow `path`.
    static std::optional<PathSegments> SplitPath(std::string_view path);

  private:
    struct CompiledRule
    {
      RouteRule rule;
      RoutePattern pattern;
    };

    std::vector<CompiledRule> rules_;
    std::string tokenArgument_;
  };
}
