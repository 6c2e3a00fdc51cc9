// SPDX-License-Identifier: GPL-3.0-or-later
#include "AccessPolicy.h"

#include <algorithm>

namespace studyshare
{
  namespace
  {
    std::string Describe(const ResourceView& resource)
    {
      return std::string(ToString(resource.level)) + (resource.kind == IdKind::DicomUid ? " UID " : " ") +
             std::string(resource.value);
    }

    bool IsSharedStudyOrthancId(const Share& share, std::string_view orthancId)
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
      return AccessDecision::Deny(DecisionReason::AmbiguousRequest, std::string(target.route) + ": " + target.problem);
    }
    switch (target.access)
    {
      case RouteAccess::Public:
        return AccessDecision::Allow(DecisionReason::PublicRoute, std::string(target.route));
      case RouteAccess::AnyShare:
        return AccessDecision::Allow(DecisionReason::ShareGrant);  // allowed requests are not logged: no text
      case RouteAccess::StaffOnly:
        return AccessDecision::Deny(DecisionReason::RouteNotShareable, std::string(target.route));
      case RouteAccess::Download:
        if (!share.Has(Permission::Download))
        {
          return AccessDecision::Deny(DecisionReason::PermissionMissing, std::string(target.route) + " needs Download");
        }
        break;
      case RouteAccess::Read:
      case RouteAccess::QidoSearch:
      case RouteAccess::WadoUri:
        if (!share.Has(Permission::View))
        {
          return AccessDecision::Deny(DecisionReason::PermissionMissing, std::string(target.route) + " needs View");
        }
        break;
    }

    if (target.resources.empty())
    {
      return AccessDecision::Deny(DecisionReason::AmbiguousRequest, std::string(target.route) + " names no resource");
    }
    for (const ResourceView& resource : target.resources)
    {
      AccessDecision decision = CheckResource(resource, share);
      if (!decision.Permits())
      {
        decision.detail = std::string(target.route) + ": " + decision.detail;
        return decision;
      }
    }
    return AccessDecision::Allow(DecisionReason::ShareGrant);
  }

  bool AccessPolicy::Grants(const Share& share, std::string_view studyOrthancId, bool& unavailable) const
  {
    const std::optional<std::string> label = share.SharedLabel();
    if (!label)
    {
      return IsSharedStudyOrthancId(share, studyOrthancId);
    }
    if (labels_ == nullptr)
    {
      unavailable = true;
      return false;
    }
    ResolutionStatus status = ResolutionStatus::Unavailable;
    if (CarriesOneOf(*labels_, std::string(studyOrthancId), {*label}, status))
    {
      return true;
    }
    unavailable = unavailable || status == ResolutionStatus::Unavailable;
    return false;
  }

  AccessDecision AccessPolicy::CheckResource(const ResourceView& resource, const Share& share) const
  {
    if (resource.level == ResourceLevel::Patient)
    {
      return AccessDecision::Deny(DecisionReason::RouteNotShareable, "patient-level resource");
    }
    bool unavailable = false;  // the labels of a study could not be read: fail closed
    if (resource.level == ResourceLevel::Study && resource.kind == IdKind::OrthancId)
    {
      if (Grants(share, resource.value, unavailable))
      {
        return AccessDecision::Allow(DecisionReason::ShareGrant);
      }
      return unavailable ? AccessDecision::Fail(DecisionReason::ResolverUnavailable, "labels of " + Describe(resource))
                         : AccessDecision::Deny(DecisionReason::ResourceNotGranted, Describe(resource));
    }

    bool allGranted = false;
    ResolutionStatus status = ResolutionStatus::Unavailable;
    if (share.SharedLabel())
    {
      // Labels are read from the DICOM server: never while the resolver's cache is locked.
      const Resolution resolution = resolver_.ResolveStudies(resource);
      status = resolution.status == ResolutionStatus::Found && resolution.studies.empty() ? ResolutionStatus::NotFound
                                                                                          : resolution.status;
      allGranted = status == ResolutionStatus::Found &&
                   std::all_of(resolution.studies.begin(), resolution.studies.end(),
                               [&](const std::string& study) { return Grants(share, study, unavailable); });
    }
    else
    {
      // Two captures fit std::function's inline buffer: checking allocates nothing.
      struct Asked
      {
        const Share& share;
        bool& unavailable;
      } asked{share, unavailable};
      status = resolver_.CheckStudies(
        resource, [this, &asked](const std::string& study) { return Grants(asked.share, study, asked.unavailable); },
        allGranted);
    }
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
      return unavailable ? AccessDecision::Fail(DecisionReason::ResolverUnavailable, "labels of " + Describe(resource))
                         : AccessDecision::Deny(DecisionReason::ResourceNotGranted, Describe(resource));
    }
    return AccessDecision::Allow(DecisionReason::ShareGrant);
  }
}
