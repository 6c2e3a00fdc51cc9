// SPDX-License-Identifier: GPL-3.0-or-later
#include "Share.h"

namespace studyshare
{
  const char* ToString(ShareState state)
  {
    switch (state)
    {
      case ShareState::Active: return "active";
      case ShareState::Expired: return "expired";
      case ShareState::Revoked: return "revoked";
      case ShareState::Exhausted: return "exhausted";
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

  bool Share::OpensDirectly() const
  {
    return passwordHash.empty() && !requireBirthDate && accessCodeHash.empty() && !maxUses;
  }
}
