// SPDX-License-Identifier: GPL-3.0-or-later
#include "StaffLabelRules.h"

#include "TextUtilities.h"

#include <algorithm>

namespace studyshare
{
  namespace
  {
    // StudyShare's own staff routes: shares are listed per sharer and checked
    // against the sharer's labels when they are made; OE2 makes them at /auth/tokens/.
    bool IsStudyShareApi(const HttpRequest& request)
    {
      return StartsWith(request.uri, "/studyshare/") ||
             (request.method == HttpMethod::Put && StartsWith(request.uri, "/auth/tokens/"));
    }

    std::string Describe(const ResourceView& resource)
    {
      return std::string(ToString(resource.level)) + (resource.kind == IdKind::DicomUid ? " UID " : " ") +
             std::string(resource.value);
    }
  }

  bool CarriesOneOf(IStudyLabels& labels, const std::string& studyOrthancId, const std::vector<std::string>& allowed,
                    ResolutionStatus& status)
  {
    const StudyLabels found = labels.LabelsOf(studyOrthancId);
    status = found.status;
    if (found.status != ResolutionStatus::Found)
    {
      return false;
    }
    return std::any_of(found.labels.begin(), found.labels.end(),
                       [&](const std::string& label)
                       { return std::find(allowed.begin(), allowed.end(), label) != allowed.end(); });
  }

  std::optional<LabelRefusal> RefuseUnlabelledStudies(const StaffDirectory& staff, IStudyLabels* labels,
                                                      const std::string& user, const std::vector<std::string>& studies)
  {
    const std::vector<std::string> allowed = staff.LabelsOf(user);
    if (allowed.empty())
    {
      return std::nullopt;
    }
    if (labels == nullptr)
    {
      return LabelRefusal{403, "this server cannot read study labels, so " + user + " may share nothing"};
    }
    for (const std::string& study : studies)
    {
      ResolutionStatus status = ResolutionStatus::Unavailable;
      if (CarriesOneOf(*labels, study, allowed, status))
      {
        continue;
      }
      if (status == ResolutionStatus::Unavailable)
      {
        return LabelRefusal{503, "the labels of study " + study + " cannot be read"};
      }
      return LabelRefusal{403, "study " + study + " carries none of the labels " + user + " may share"};
    }
    return std::nullopt;
  }

  AccessDecision StaffLabelRules::Decide(const std::string& user, const std::vector<std::string>& allowed,
                                         const HttpRequest& request) const
  {
    if (allowed.empty())
    {
      return AccessDecision::Deny(DecisionReason::StaffRoleForbids, user + ": no label to read");
    }
    if (IsStudyShareApi(request))
    {
      return AccessDecision::Allow(DecisionReason::StaffAccess, user);
    }
    const RequestTarget target = grammar_.Read(request.method, request.uri, request.arguments);
    if (target.IsAmbiguous())
    {
      return AccessDecision::Deny(DecisionReason::AmbiguousRequest, std::string(target.route) + ": " + target.problem);
    }
    switch (target.access)
    {
      case RouteAccess::Public:
      case RouteAccess::AnyShare:
        return AccessDecision::Allow(DecisionReason::StaffAccess, user + " " + std::string(target.route));
      case RouteAccess::StaffOnly:
        return AccessDecision::Deny(DecisionReason::StaffRoleForbids,
                                    user + " (label-limited) " + ToString(request.method) + " " + request.uri);
      case RouteAccess::Read:
      case RouteAccess::Download:
      case RouteAccess::QidoSearch:
      case RouteAccess::WadoUri:
        break;
    }
    if (target.resources.empty())
    {
      return AccessDecision::Deny(DecisionReason::AmbiguousRequest, std::string(target.route) + " names no resource");
    }
    for (const ResourceView& resource : target.resources)
    {
      AccessDecision decision = CheckResource(resource, allowed);
      if (!decision.Permits())
      {
        decision.detail = user + " (label-limited) " + std::string(target.route) + ": " + decision.detail;
        return decision;
      }
    }
    return AccessDecision::Allow(DecisionReason::StaffAccess, user + " " + std::string(target.route) + " (labelled)");
  }

  AccessDecision StaffLabelRules::CheckResource(const ResourceView& resource,
                                                const std::vector<std::string>& allowed) const
  {
    if (resource.level == ResourceLevel::Patient)
    {
      return AccessDecision::Deny(DecisionReason::RouteNotShareable, "patient-level resource");
    }
    std::vector<std::string> studies;
    if (resource.level == ResourceLevel::Study && resource.kind == IdKind::OrthancId)
    {
      studies.emplace_back(resource.value);
    }
    else
    {
      const Resolution resolution = resolver_.ResolveStudies(resource);
      if (resolution.status == ResolutionStatus::Unavailable)
      {
        return AccessDecision::Fail(DecisionReason::ResolverUnavailable, Describe(resource));
      }
      if (resolution.status == ResolutionStatus::NotFound || resolution.studies.empty())
      {
        return AccessDecision::Deny(DecisionReason::ResourceNotFound, Describe(resource));
      }
      studies = resolution.studies;
    }
    for (const std::string& study : studies)
    {
      ResolutionStatus status = ResolutionStatus::Unavailable;
      if (!CarriesOneOf(labels_, study, allowed, status))
      {
        switch (status)
        {
          case ResolutionStatus::Unavailable:
            return AccessDecision::Fail(DecisionReason::ResolverUnavailable, "labels of study " + study);
          case ResolutionStatus::NotFound:
            return AccessDecision::Deny(DecisionReason::ResourceNotFound, Describe(resource));
          case ResolutionStatus::Found:
            break;
        }
        return AccessDecision::Deny(DecisionReason::ResourceNotGranted,
                                    Describe(resource) + " carries none of the user's labels");
      }
    }
    return AccessDecision::Allow(DecisionReason::StaffAccess);
  }
}
