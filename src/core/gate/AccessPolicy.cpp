// SPDX-License-Identifier: GPL-3.0-or-later
#include "AccessPolicy.h"

#include <algorithm>

namespace studyshare
{
  namespace
  {
    std::string Describe(const ResourceRef& resource)
    {
      return std::string(ToString(resource.level)) + (resource.kind == IdKind::DicomUid ? " UID " : " ") +
             resource.value;
    }

    bool IsSharedStudyOrthancId(const Share& share, const std::string& orthancId)
    {
      return std::any_of(share.studies.begin(), share.studies.end(),
                         [&](const SharedStudy& study)
                         { return study.IsWholeStudy() && study.orthancId == orthancId; });
    }
  }

  AccessDecision AccessPolicy::Decide(const RequestTarget& target, const Share& share) const
  {
    if (target.IsAmbiguous())
    {
      return AccessDecision::Deny(DecisionReason::AmbiguousRequest, target.route + ": " + target.problem);
    }
    switch (target.access)
    {
      case RouteAccess::Public:
        return AccessDecision::Allow(DecisionReason::PublicRoute, target.route);
      case RouteAccess::AnyShare:
        return AccessDecision::Allow(DecisionReason::ShareGrant);  // allowed requests are not logged: no text
      case RouteAccess::StaffOnly:
        return AccessDecision::Deny(DecisionReason::RouteNotShareable, target.route);
      case RouteAccess::Download:
        if (!share.Has(Permission::Download))
        {
          return AccessDecision::Deny(DecisionReason::PermissionMissing, target.route + " needs Download");
        }
        break;
      case RouteAccess::Read:
      case RouteAccess::QidoSearch:
      case RouteAccess::WadoUri:
        if (!share.Has(Permission::View))
        {
          return AccessDecision::Deny(DecisionReason::PermissionMissing, target.route + " needs View");
        }
        break;
    }

    if (target.resources.empty())
    {
      return AccessDecision::Deny(DecisionReason::AmbiguousRequest, target.route + " names no resource");
    }
    for (const ResourceRef& resource : target.resources)
    {
      AccessDecision decision = CheckResource(resource, share);
      if (!decision.Permits())
      {
        decision.detail = target.route + ": " + decision.detail;
        return decision;
      }
    }
    return AccessDecision::Allow(DecisionReason::ShareGrant);
  }

  AccessDecision AccessPolicy::CheckResource(const ResourceRef& resource, const Share& share) const
  {
    if (resource.level == ResourceLevel::Patient)
    {
      return AccessDecision::Deny(DecisionReason::RouteNotShareable, "patient-level resource");
    }
    if (resource.level == ResourceLevel::Study && resource.kind == IdKind::OrthancId)
    {
      return IsSharedStudyOrthancId(share, resource.value)
               ? AccessDecision::Allow(DecisionReason::ShareGrant)
               : AccessDecision::Deny(DecisionReason::ResourceNotGranted, Describe(resource));
    }

    bool allGranted = false;
    const ResolutionStatus status = resolver_.CheckStudies(
      resource, [&share](const std::string& study) { return IsSharedStudyOrthancId(share, study); }, allGranted);
    switch (status)
    {
      case ResolutionStatus::Unavailable:
        return AccessDecision::Fail(DecisionReason::ResolverUnavailable, Describe(resource));
      case ResolutionStatus::NotFound:
        return AccessDecision::Deny(DecisionReason::ResourceNotFound, Describe(resource));
      case ResolutionStatus::Found:
        break;
    }
    if (!allGranted)
    {
      return AccessDecision::Deny(DecisionReason::ResourceNotGranted, Describe(resource));
    }
    return AccessDecision::Allow(DecisionReason::ShareGrant);
  }
}
