// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "AccessDecision.h"
#include "IResourceResolver.h"
#include "RequestTarget.h"
#include "Share.h"

namespace studyshare
{
  // Where a share's access is decided: given what a request touches (from the
  // grammar) and an active share, is every resource it names inside the
  // shared studies? Hierarchy is checked, not trusted: each series or
  // instance is mapped to its study through the resolver, whatever study the
  // URL names before it.
  class AccessPolicy
  {
  public:
    explicit AccessPolicy(IResourceResolver& resolver) : resolver_(resolver) {}

    AccessDecision Decide(const RequestTarget& target, const Share& share) const;

  private:
    AccessDecision CheckResource(const ResourceRef& resource, const Share& share) const;

    IResourceResolver& resolver_;
  };
}
