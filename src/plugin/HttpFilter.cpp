// SPDX-License-Identifier: GPL-3.0-or-later
#include "HttpFilter.h"

#include "NoticeThrottle.h"
#include "PluginRuntime.h"
#include "RequestAdapter.h"

namespace studyshare::plugin
{
  namespace
  {
    thread_local std::string t_clientAddress;

    // Orthanc 1.10.1's filter can only answer 403 with an empty body, so
    // clients that wait for a 401 challenge before sending credentials
    // never log in; the log says why, at most once a minute.
    NoticeThrottle g_credentialsNotice(60);

    void NoteMissingCredentials(const PluginRuntime& runtime, const HttpRequest& request)
    {
      const std::optional<uint64_t> held = g_credentialsNotice.Admit(PluginRuntime::CurrentTime());
      if (!held)
      {
        return;
      }
      runtime.Orthanc().LogWarning(
        "refused " + std::string(ToString(request.method)) + " " + request.uri + " from " + request.clientAddress +
        ": credentials are needed. Staff scripts must send them in the first request (HTTP Basic, e.g. curl -u, "
        "or \"Authorization: Bearer\" with a StudyShare API key): this gate cannot send the 401 challenge that "
        "curl --anyauth, urllib's HTTPBasicAuthHandler or httplib2 wait for (README: \"Staff scripts and "
        "integrations\")" +
        (*held > 0 ? "; " + std::to_string(*held) + " more such refusals since the last notice" : ""));
    }
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
      else if (decision.reason == DecisionReason::NoCredentials)
      {
        runtime.Orthanc().LogInfo(line);
        NoteMissingCredentials(runtime, request);
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
