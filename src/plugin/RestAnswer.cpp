// SPDX-License-Identifier: GPL-3.0-or-later
#include "RestAnswer.h"

#include "PluginRuntime.h"

namespace studyshare::plugin
{
  void AnswerJson(OrthancPluginRestOutput* output, int status, const nlohmann::json& body)
  {
    OrthancPluginContext* context = PluginRuntime::Get().Orthanc().Context();
    // Never a 500 for a byte that is not UTF-8: it becomes U+FFFD.
    const std::string text = body.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
    OrthancPluginSetHttpHeader(context, output, "Cache-Control", "no-store");
    OrthancPluginSetHttpHeader(context, output, "X-Content-Type-Options", "nosniff");
    if (status == 200)
    {
      OrthancPluginAnswerBuffer(context, output, text.data(), static_cast<uint32_t>(text.size()), "application/json");
    }
    else
    {
      if (status == 503)
      {
        OrthancPluginSetHttpHeader(context, output, "Retry-After", "60");
      }
      OrthancPluginSetHttpHeader(context, output, "Content-Type", "application/json");
      OrthancPluginSendHttpStatus(context, output, static_cast<uint16_t>(status), text.data(),
                                  static_cast<uint32_t>(text.size()));
    }
  }
}
