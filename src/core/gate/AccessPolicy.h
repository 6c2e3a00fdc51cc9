// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "AccessDecision.h"
#include "IResourceResolver.h"
#include "IStudyLabels.h"
#include "RequestTarget.h"
#include "Share.h"

namespace studyshare
{
  // Where a share's access is decided: given what a request touches (from the
  // grammar) and an active share, is every resource it names inside the
  // shared studies? Hierarchy is checked, not trusted: each series or
  // instance is mapped to its study through the resolver, whatever study the
  // URL names before it. A share by label grants a study when the study
  // carries the label at the time of the request (read from the DICOM
  // server, never cached); lists and searches stay refused as for any share.
  class AccessPolicy
  {
  public:
    explicit AccessPolicy(IResourceResolver& resolver) : resolver_(resolver) {}

    // Where labels are read; without it a share by label grants nothing.
    void SetStudyLabels(IStudyLabels* labels) { labels_ = labels; }

    AccessDecision Decide(const RequestTarget& target, const Share& share) const;

  private:
    AccessDecision CheckResource(const ResourceView& resource, const Share& share) const;
    // Whether the share grants the study; `unavailable` is set when its labels cannot be read.
    bool Grants(const Share& share, std::string_view studyOrthancId, bool& unavailable) const;

    IResourceResolver& resolver_;
    IStudyLabels* labels_ = nullptr;
  };
}
