// SPDX-License-Identifier: GPL-3.0-or-later
// The floor of bench/gate_overhead.py: an Orthanc plugin whose incoming
// request filter lets everything through and does nothing else, so the cost
// of Orthanc calling a filter at all is told apart from the cost of the gate.
#include <orthanc/OrthancCPlugin.h>

namespace
{
  int32_t AllowEverything(OrthancPluginHttpMethod, const char*, const char*, uint32_t, const char* const*,
                          const char* const*, uint32_t, const char* const*, const char* const*)
  {
    return 1;
  }
}

extern "C"
{
  ORTHANC_PLUGINS_API int32_t OrthancPluginInitialize(OrthancPluginContext* context)
  {
    if (OrthancPluginCheckVersion(context) == 0)
    {
      return -1;
    }
    OrthancPluginRegisterIncomingHttpRequestFilter2(context, AllowEverything);
    return 0;
  }

  ORTHANC_PLUGINS_API void OrthancPluginFinalize() {}

  ORTHANC_PLUGINS_API const char* OrthancPluginGetName()
  {
    return "allow-all-filter";
  }

  ORTHANC_PLUGINS_API const char* OrthancPluginGetVersion()
  {
    return "1.0";
  }
}
