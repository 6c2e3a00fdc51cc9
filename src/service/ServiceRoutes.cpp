// SPDX-License-Identifier: GPL-3.0-or-later
#include "ServiceRoutes.h"

#include "HttpRequest.h"
#include "ServiceLog.h"
#include "Utf8Text.h"

namespace studyshare
{
  namespace
  {
    using Json = nlohmann::json;
    using http::ServerRequest;
    using http::ServerResponse;

    ServerResponse Answer(int status, const Json& body)
    {
      return {status, "application/json", body.dump(-1, ' ', false, Json::error_handler_t::replace), {}};
    }

    // Wrong credentials, too many of them from this client (as staff
    // sign-in, per client address only), or no hashing capacity left.
    ServerResponse RefuseCaller(StaffRefusal refusal)
    {
      ServerResponse response;
      switch (refusal)
      {
        case StaffRefusal::RateLimited:
          response =
            http::JsonError(429, "rate-limited", "Too many failed sign-ins from this address; try again later.");
          response.headers.emplace_back("Retry-After", "60");
          return response;
        case StaffRefusal::Busy:
          response = http::JsonError(503, "busy", "Too many sign-ins at once; try again.");
          response.headers.emplace_back("Retry-After", "1");
          return response;
        default:
          response = http::JsonError(401, "unauthorized", "Incorrect username or password.");
          response.headers.emplace_back("WWW-Authenticate", "Basic realm=\"studyshare-service\"");
          return response;
      }
    }

    std::string ClientOf(const ServerRequest& request, const TrustedProxies& proxies)
    {
      return proxies.ClientAddressOf(request.remoteAddress, request.headers);
    }

    AuthTokenService::Caller CallerOf(const ServerRequest& request, const std::string& name, bool authenticated,
                                      const TrustedProxies& proxies)
    {
      return {name, ClientOf(request, proxies), ToValidUtf8(request.Header("User-Agent"), 200), authenticated};
    }

    // PUT /tokens/{type}: the type, or "" when the path is not of that form.
    std::string TokenTypeOf(const std::string& path)
    {
      static const std::string kPrefix = "/tokens/";
      if (path.size() <= kPrefix.size() || path.compare(0, kPrefix.size(), kPrefix) != 0 ||
          path.find('/', kPrefix.size()) != std::string::npos)
      {
        return "";
      }
      return path.substr(kPrefix.size());
    }
  }

  ServiceRoutes::ServiceRoutes(AuthTokenService& tokens, IShareStore& store, StaffDirectory& callers,
                               StaffDirectory& staff, bool anonymousCallers, const TrustedProxies& proxies)
    : tokens_(tokens), store_(store), callers_(callers), staff_(staff), anonymousCallers_(anonymousCallers),
      proxies_(proxies)
  {
  }

  ServerResponse ServiceRoutes::Handle(const ServerRequest& request)
  {
    const std::string& path = request.path;
    // HEAD is GET without the body (the front leaves the body out).
    if ((request.method == "GET" || request.method == "HEAD") && path == "/health")
    {
      return Health();
    }
    if (request.method == "POST")
    {
      if (path == "/tokens/validate" || path == "/shares/validate")
      {
        return Guarded(request, [this](const ServerRequest& r, const auto& caller)
                       { return tokens_.Validate(r.body, r.Header("token"), caller); });
      }
      if (path == "/tokens/decode")
      {
        return Guarded(request, [this](const ServerRequest& r, const auto&) { return tokens_.Decode(r.body); });
      }
      if (path == "/user/get-profile")
      {
        return Guarded(request,
                       [this](const ServerRequest& r, const auto&) { return tokens_.GetProfile(r.body, staff_); });
      }
    }
    if (request.method == "PUT")
    {
      if (path == "/shares")
      {
        return Guarded(request, [this](const ServerRequest& r, const auto& caller)
                       { return tokens_.CreateLegacyShare(r.body, caller); });
      }
      const std::string type = TokenTypeOf(path);
      if (!type.empty())
      {
        return Guarded(request,
                       [this, &type](const ServerRequest& r, const auto& caller)
                       {
                         ApiResponse answer = tokens_.CreateToken(type, r.body, caller);
                         if (answer.status == 200)
                         {
                           LogEvent("info", "token-created", {{"type", type}, {"caller", caller.name}});
                         }
                         return answer;
                       });
      }
    }
    return http::JsonError(404, "not-found", "no such route: " + request.method + " " + path);
  }

  ServerResponse ServiceRoutes::Guarded(const ServerRequest& request, const Handler& handler)
  {
    std::string callerName = "anonymous";
    bool authenticated = false;
    const std::string authorization = request.Header("Authorization");
    // Without caller credentials the authorization plugin forwards the
    // share token in this header ("Bearer ..."): not a caller's claim.
    const bool claimsCaller = IsBasicAuthorization(authorization);
    if (!anonymousCallers_ || claimsCaller)
    {
      const std::string client = ClientOf(request, proxies_);
      const StaffCheck check = callers_.CheckBasic(authorization, client);
      if (!check.user)
      {
        LogEvent("warning", "caller-refused",
                 {{"path", request.path}, {"client", client}, {"cause", ToString(check.refusal)}});
        return RefuseCaller(check.refusal);
      }
      callerName = check.user->name;
      authenticated = true;
    }
    try
    {
      const ApiResponse answer = handler(request, CallerOf(request, callerName, authenticated, proxies_));
      if (answer.status >= 400)
      {
        LogEvent("info", "request-refused",
                 {{"path", request.path},
                  {"status", answer.status},
                  {"caller", callerName},
                  {"message", answer.body.value("message", "")}});
      }
      return Answer(answer.status, answer.body);
    }
    catch (const StoreUnavailable& e)
    {
      LogEvent("error", "store-unavailable", {{"path", request.path}, {"cause", e.what()}});
      return http::JsonError(503, "store-unavailable", "the share store cannot be read");
    }
    catch (const std::exception& e)
    {
      LogEvent("error", "internal-error", {{"path", request.path}, {"cause", e.what()}});
      return http::JsonError(500, "internal-error", "internal error");
    }
  }

  // Health needs no credentials and says nothing about shares: only
  // whether the store answers.
  ServerResponse ServiceRoutes::Health()
  {
    try
    {
      store_.Lookup("health-check");
      return Answer(200, {{"status", "ok"}});
    }
    catch (const std::exception&)
    {
      return http::JsonError(503, "store-unavailable", "the share store cannot be read");
    }
  }
}
