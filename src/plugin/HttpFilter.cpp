// SPDX-License-Identifier: GPL-3.0-or-later
#include "HttpFilter.h"

#include "PluginRuntime.h"
#include "RequestAdapter.h"

namespace studyshare::plugin
{
  namespace
  {
    thread_local std::string t_clientAddress;
  }

  const std::string& CurrentClientAddress()
  {
    return t_clientAddress;
  }

  int32_t FilterIncomingRequest(OrthancPluginHttpMethod method, const char* uri, const char* ip, uint32_t headersCount,
                                const char* const* headersKeys, const char* const* headersValues,
                                uint32_t getArgumentsCount, const char* const* getArgumentsKeys,
                                const char* const* getArgumentsValues)
  {
    try
    {
      // Cleared first: a request refused below must not run with the
      // previous request's address on this thread.
      t_clientAddress.clear();
      PluginRuntime& runtime = PluginRuntime::Get();
      HttpRequest request;
      request.method = FromOrthancMethod(method);
      request.uri = uri ? uri : "";
      request.headers = ToPairs(headersCount, headersKeys, headersValues);
      request.arguments = ToPairs(getArgumentsCount, getArgumentsKeys, getArgumentsValues);
      // The one place the client's address is read: behind a trusted
      // reverse proxy it comes from the forwarded chain, and every consumer
      // (limiters, audit, logs, the token service) reads this value.
      request.clientAddress = runtime.Config().trustedProxies.ClientAddressOf(ip ? ip : "", request.headers);
      t_clientAddress = request.clientAddress;

      const AccessDecision decision = runtime.GetGate().Decide(request);
      if (decision.Permits())
      {
        return 1;
      }
      // The log names the reason and resources, never a token: the URI is
      // logged without its GET arguments, where a token may travel.
      const std::string line = std::string(ToString(decision.verdict)) + " " + ToString(request.method) + " " +
                               request.uri + " from " + request.clientAddress + ": " + ToString(decision.reason) +
                               (decision.detail.empty() ? "" : " (" + decision.detail + ")");
      if (decision.verdict == Verdict::Error)
      {
        runtime.Orthanc().LogError("refused after an error: " + line);
      }
      else
      {
        runtime.Orthanc().LogInfo(line);
      }
      return 0;
    }
    catch (...)
    {
      return 0;
    }
  }
}
