// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "PostgresConnection.h"

namespace studyshare
{
  // The channel on which every change to a share is announced (a trigger in
  // the schema, so changes made by any node, the token service, the
  // migration tool or by hand all reach the caches).
  inline constexpr const char* kShareChangeChannel = "studyshare_share_changes";

  namespace postgres_schema
  {
    int CurrentVersion();
    // Brings the schema to the current version under an advisory lock, so
    // several nodes starting at once on an empty database do not collide.
    void Migrate(PgConnection& connection);
    int ReadVersion(PgConnection& connection);
  }
}
