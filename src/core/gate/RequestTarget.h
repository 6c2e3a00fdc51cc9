// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ResourceRef.h"

#include <boost/container/small_vector.hpp>

#include <string>
#include <string_view>

namespace studyshare
{
  // What a route gives access to, from the gate's point of view.
  enum class RouteAccess
  {
    Public,      // anyone: recipient pages and static assets without patient data
    StaffOnly,   // never reachable with a share (the default for unknown routes)
    Read,        // a share may read the named resources (View)
    Download,    // a share may read the named resources if it has Download
    QidoSearch,  // a DICOMweb search; the UID filters of its GET arguments name the resources
    WadoUri,     // a WADO-URI retrieve; its objectUID names the resource
    AnyShare     // no patient data, but only for holders of a valid share (e.g. /system for Stone)
  };

  const char* ToString(RouteAccess access);

  // Almost every request names one or two resources: these live inline.
  using ResourceViews = boost::container::small_vector<ResourceView, 4>;

  // The grammar's reading of one request. It borrows: `route` from the
  // grammar, `resources` from the request's path and arguments, so it must
  // not outlive either (the gate reads, decides and drops it in one call).
  struct RequestTarget
  {
    RouteAccess access = RouteAccess::StaffOnly;
    std::string_view route;   // the matching row's name, for logs and tests
    ResourceViews resources;  // every resource the request names
    std::string problem;      // set when the request cannot be read with certainty

    bool IsAmbiguous() const { return !problem.empty(); }
  };
}
