// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "AccessDecision.h"
#include "HttpRequest.h"
#include "StaffDirectory.h"

namespace studyshare
{
  // What each staff role may do through the gate. Admins may do everything
  // Orthanc allows; sharers browse read-only, search, and manage shares (the
  // share API itself restricts them to their own shares).
  AccessDecision DecideForStaff(const StaffUser& user, HttpMethod method, const std::string& uri);
}
