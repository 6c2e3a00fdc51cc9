// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "HttpRequest.h"
#include "RequestTarget.h"

#include <vector>

namespace studyshare
{
  enum class QueryScope
  {
    None,            // the route reads no DICOM UID filters from its GET arguments
    Checked,         // UID filters, when present, must name granted resources
    SearchStudies,   // a search: needs a StudyInstanceUID filter
    SearchSeries,    // a search: needs a Study or Series UID filter
    SearchInstances  // a search: needs a Study, Series or SOP Instance UID filter
  };

  // One row of the route table: everything the gate knows about a route.
  struct RouteRule
  {
    const char* name;
    unsigned methods;     // HttpMethod bits
    const char* pattern;  // RoutePattern syntax; "{dicomweb}", "{wado}" and "{ohif}" expand to the configured roots
    RouteAccess access;
    QueryScope query = QueryScope::None;
  };

  inline constexpr unsigned kRead = static_cast<unsigned>(HttpMethod::Get) | static_cast<unsigned>(HttpMethod::Head);
  inline constexpr unsigned kAnyMethod = 0xFFFF;

  // The table, in match order (first matching row wins).
  const std::vector<RouteRule>& DefaultRouteTable();
}
