// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <orthanc/OrthancCPlugin.h>

namespace studyshare::plugin
{
  // GET /studyshare/shares/{id}/qr.svg (staff only): the share's link as an
  // SVG QR code, generated in-process. A sharer gets only its own shares' codes.
  void RegisterQrRoutes(OrthancPluginContext* context);
}
