// SPDX-License-Identifier: GPL-3.0-or-later
#include "Share.h"

namespace studyshare
{
  const char* ToString(ShareState state)
  {
    switch (state)
    {
      case ShareState::Active:
        return "active";
      case ShareState::Expired:
        return "expired";
      case ShareState::Revoked:
        return "revoked";
      case ShareState::Exhausted:
        return "exhausted";
    }
    return "unknown";
  }

  ShareState Share::StateAt(int64_t now) const
  {
    if (revokedAt)
    {
      return ShareState::Revoked;
    }
    if (expiresAt && now >= *expiresAt)
    {
      return ShareState::Expired;
    }
    if (maxUses && uses >= *maxUses)
    {
      return ShareState::Exhausted;
    }
    return ShareState::Active;
  }

  std::vector<std::string> Share::PermissionNames() const
  {
    std::vector<std::string> names;
    if (Has(Permission::View))
    {
      names.push_back("View");
    }
    if (Has(Permission::Download))
    {
      names.push_back("Download");
    }
    return names;
  }

  bool Share::OpensDirectly() const
  {
    return passwordHash.empty() && !requireBirthDate && !requireEmailCode && accessCodeHash.empty() && !maxUses;
  }
}
