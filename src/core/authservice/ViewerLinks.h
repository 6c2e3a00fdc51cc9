// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "AuthTokenType.h"
#include "Share.h"

#include <optional>
#include <string>
#include <vector>

namespace studyshare
{
  // Where recipients reach each viewer. Roots end with '/'; an empty root
  // means that viewer is not published here.
  struct PublicRoots
  {
    std::string orthancRoot;  // PUBLIC_ORTHANC_ROOT: Orthanc's REST root (Stone, Osimis, VolView live below)
    std::string landingRoot;  // PUBLIC_LANDING_ROOT: a landing page reading ?token=
    std::string ohifRoot;     // PUBLIC_OHIF_ROOT
    std::string ohifDataSource = "dicom-web";  // "dicom-web" or "dicom-json"
    std::string meddreamRoot;                  // PUBLIC_MEDDREAM_ROOT
    std::string ownLandingUrl;                 // StudyShare's own landing ("{PublicUrl}/share/"), token in the fragment
  };

  // Adds the trailing '/' a root needs; empty stays empty.
  std::string NormalizeRoot(const std::string& root);

  // The viewer URL opening these studies with this token directly, as each
  // viewer reads it (the same URLs the authorization plugin's Python service
  // builds), or nothing when the type opens no viewer by itself (instant
  // links) or its viewer is not published here.
  std::optional<std::string> BuildViewerUrl(AuthTokenType type, const std::vector<SharedStudy>& studies,
                                            const std::string& token, const PublicRoots& roots);

  // The link handed to staff when a token is created: the landing page when
  // one is configured (recipients get clear messages for expired links),
  // otherwise the viewer itself.
  std::optional<std::string> BuildShareLink(AuthTokenType type, const std::vector<SharedStudy>& studies,
                                            const std::string& token, const PublicRoots& roots);

  // Whether this server can build links of this type at all.
  bool IsPublished(AuthTokenType type, const PublicRoots& roots);
}
