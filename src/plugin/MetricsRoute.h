// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <orthanc/OrthancCPlugin.h>

namespace studyshare::plugin
{
  // GET /studyshare/metrics: Prometheus' text format, or the JSON summary
  // with ?format=json or Accept: application/json. Staff only, by the gate.
  void RegisterMetricsRoute(OrthancPluginContext* context);
}
