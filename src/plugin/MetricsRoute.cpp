// SPDX-License-Identifier: GPL-3.0-or-later
#include "MetricsRoute.h"

#include "CallbackGuard.h"
#include "PluginRuntime.h"
#include "PrometheusText.h"
#include "RequestAdapter.h"
#include "StaffCallback.h"

namespace studyshare::plugin
{
  namespace
  {
    bool WantsJson(const HttpRequest& request)
    {
      for (const auto& [key, value] : request.arguments)
      {
        if (key == "format")
        {
          return value == "json";
        }
      }
      for (const std::string& accept : request.HeaderValues("accept"))
      {
        if (accept.find("application/json") != std::string::npos)
        {
          return true;
        }
      }
      return false;
    }

    std::string PrometheusReport(PluginRuntime& runtime)
    {
      PrometheusText text;
      runtime.GetGate().GetCounters().WritePrometheus(text);
      runtime.Opener().Counters().WritePrometheus(text);
      text.Family("studyshare_store_up", "gauge", "1 when the share store answers, else 0.");
      text.Sample("studyshare_store_up", {}, static_cast<uint64_t>(runtime.StoreAnswers() ? 1 : 0));
      text.Family("studyshare_resolver_cache_entries", "gauge",
                  "Resources whose study the gate remembers (instance and series to study).");
      text.Sample("studyshare_resolver_cache_entries", {}, static_cast<uint64_t>(runtime.Resolver().GetSize()));
      return text.Text();
    }

    nlohmann::json JsonReport(PluginRuntime& runtime)
    {
      const OpenCounters& opens = runtime.Opener().Counters();
      return {{"Decisions", runtime.GetGate().GetCounters().ToJson()},
              {"ResolverCacheEntries", runtime.Resolver().GetSize()},
              {"Opens",
               {{"Success", opens.Opens("success")},
                {"Lockouts", opens.Lockouts()},
                {"AccessCodeFailures", opens.WrongAccessCodes()},
                {"StoreErrors", opens.StoreErrors()}}}};
    }

    OrthancPluginErrorCode OnMetrics(OrthancPluginRestOutput* output, const char* url,
                                     const OrthancPluginHttpRequest* request)
    {
      return GuardRestCallback(output,
                               [&]
                               {
                                 PluginRuntime& runtime = PluginRuntime::Get();
                                 if (request->method != OrthancPluginHttpMethod_Get)
                                 {
                                   return MethodNotAllowed(output, "GET");
                                 }
                                 if (WantsJson(FromRestRequest(url, request)))
                                 {
                                   return AnswerJson(output, 200, JsonReport(runtime));
                                 }
                                 const std::string text = PrometheusReport(runtime);
                                 OrthancPluginAnswerBuffer(runtime.Orthanc().Context(), output, text.data(),
                                                           static_cast<uint32_t>(text.size()),
                                                           PrometheusText::kContentType);
                               });
    }
  }

  void RegisterMetricsRoute(OrthancPluginContext* context)
  {
    OrthancPluginRegisterRestCallbackNoLock(context, "/studyshare/metrics", OnMetrics);
  }
}
