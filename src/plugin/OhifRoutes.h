// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <orthanc/OrthancCPlugin.h>

#include <string>

namespace studyshare::plugin
{
  struct OhifSettings
  {
    std::string folder;                       // the OHIF build (its dist/ folder); empty: OHIF is not served
    std::string root = "/ohif";               // URL prefix, no trailing slash
    std::string dicomWebRoot = "/dicom-web";  // no trailing slash
  };

  // Serves a prebuilt OHIF v3 under `root` with the single-page-app fallback
  // it needs, and a generated app-config.js (one DICOMweb data source on this
  // Orthanc, nothing external). Static files carry no patient data, so the
  // gate lets them through; every DICOMweb request still needs a token.
  void RegisterOhifRoutes(OrthancPluginContext* context, const OhifSettings& settings);
}
