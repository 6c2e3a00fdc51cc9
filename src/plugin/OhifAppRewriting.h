// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>

namespace studyshare::plugin
{
  // How a stock OHIF v3 build, made to live at "/", is moved under another
  // path and given StudyShare's own configuration. Pure text work; serving
  // the files is OhifRoutes.cpp's job.

  // index.html with its absolute "/..." URLs and PUBLIC_URL moved under `base`.
  std::string RewriteOhifIndexHtml(std::string html, const std::string& base);

  // The few other files of the build that carry absolute "/" URLs (by extension
  // "js"/"css" or name "manifest.json"), rewritten in place.
  void RewriteOhifAsset(const std::string& ext, const std::string& relative, std::string& content,
                        const std::string& base);

  // A URL path made only of safe characters, absolute, without "//" or "..".
  bool IsSafeOhifUrlPath(const std::string& path);

  // The app-config.js StudyShare serves instead of the build's own (one DICOMweb
  // data source on this origin, no study list, nothing external).
  std::string MakeOhifAppConfig(const std::string& base, const std::string& dicomWeb);
}
