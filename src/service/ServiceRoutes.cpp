// SPDX-License-Identifier: GPL-3.0-or-later
#include "ServiceRoutes.h"

#include "HttpRequest.h"
#include "ServiceLog.h"
#include "Utf8Text.h"

#include <httplib.h>

namespace studyshare
{
  namespace
  {
    using Json = nlohmann::json;

    void Answer(httplib::Response& response, int status, const Json& body)
    {
      response.status = status;
      response.set_content(body.dump(-1, ' ', false, Json::error_handler_t::replace), "application/json");
    }

    void AnswerError(httplib::Response& response, int status, const std::string& error, const std::string& message)
    {
      Answer(response, status, {{"error", error}, {"message", message}, {"detail", message}});
    }

    // Wrong credentials, too many of them from this client (as staff
    // sign-in, per client address only), or no hashing capacity left.
    void RefuseCaller(httplib::Response& response, StaffRefusal refusal)
    {
      switch (refusal)
      {
        case StaffRefusal::RateLimited:
          response.set_header("Retry-After", "60");
          AnswerError(response, 429, "rate-limited", "Too many failed sign-ins from this address; try again later.");
          return;
        case StaffRefusal::Busy:
          response.set_header("Retry-After", "1");
          AnswerError(response, 503, "busy", "Too many sign-ins at once; try again.");
          return;
        default:
          response.set_header("WWW-Authenticate", "Basic realm=\"studyshare-service\"");
          AnswerError(response, 401, "unauthorized", "Incorrect username or password.");
      }
    }

    std::string ClientOf(const httplib::Request& request, const TrustedProxies& proxies)
    {
      HttpPairs headers(request.headers.begin(), request.headers.end());
      return proxies.ClientAddressOf(request.remote_addr, headers);
    }

    AuthTokenService::Caller CallerOf(const httplib::Request& request, const std::string& name, bool authenticated,
                                      const TrustedProxies& proxies)
    {
      return {name, ClientOf(request, proxies), ToValidUtf8(request.get_header_value("User-Agent"), 200),
              authenticated};
    }
  }

  ServiceRoutes::ServiceRoutes(AuthTokenService& tokens, IShareStore& store, StaffDirectory& callers,
                               StaffDirectory& staff, bool anonymousCallers, const TrustedProxies& proxies)
    : tokens_(tokens), store_(store), callers_(callers), staff_(staff), anonymousCallers_(anonymousCallers),
      proxies_(proxies)
  {
  }

  void ServiceRoutes::Register(httplib::Server& server)
  {
    using Handler = std::function<ApiResponse(const httplib::Request&, const AuthTokenService::Caller&)>;

    // Every protocol route: the caller is authenticated first, and nothing
    // a handler throws escapes as anything but a JSON 500/503.
    auto guarded = [this](Handler handler)
    {
      return [this, handler](const httplib::Request& request, httplib::Response& response)
      {
        std::string callerName = "anonymous";
        bool authenticated = false;
        const std::string authorization = request.get_header_value("Authorization");
        // Without caller credentials the authorization plugin forwards the
        // share token in this header ("Bearer ..."): not a caller's claim.
        const bool claimsCaller = IsBasicAuthorization(authorization);
        if (!anonymousCallers_ || claimsCaller)
        {
          const std::string client = ClientOf(request, proxies_);
          const StaffCheck check = callers_.CheckBasic(authorization, client);
          if (!check.user)
          {
            RefuseCaller(response, check.refusal);
            LogEvent("warning", "caller-refused",
                     {{"path", request.path}, {"client", client}, {"cause", ToString(check.refusal)}});
            return;
          }
          callerName = check.user->name;
          authenticated = true;
        }
        try
        {
          const ApiResponse answer = handler(request, CallerOf(request, callerName, authenticated, proxies_));
          Answer(response, answer.status, answer.body);
          if (answer.status >= 400)
          {
            LogEvent("info", "request-refused",
                     {{"path", request.path},
                      {"status", answer.status},
                      {"caller", callerName},
                      {"message", answer.body.value("message", "")}});
          }
        }
        catch (const StoreUnavailable& e)
        {
          AnswerError(response, 503, "store-unavailable", "the share store cannot be read");
          LogEvent("error", "store-unavailable", {{"path", request.path}, {"cause", e.what()}});
        }
        catch (const std::exception& e)
        {
          AnswerError(response, 500, "internal-error", "internal error");
          LogEvent("error", "internal-error", {{"path", request.path}, {"cause", e.what()}});
        }
      };
    };

    server.Put(
      R"(/tokens/([^/]+))",
      guarded(
        [this](const httplib::Request& request, const auto& caller)
        {
          ApiResponse answer = tokens_.CreateToken(request.matches[1], request.body, caller);
          if (answer.status == 200)
          {
            LogEvent("info", "token-created", {{"type", std::string(request.matches[1])}, {"caller", caller.name}});
          }
          return answer;
        }));
    server.Post("/tokens/validate",
                guarded([this](const httplib::Request& request, const auto& caller)
                        { return tokens_.Validate(request.body, request.get_header_value("token"), caller); }));
    server.Post("/tokens/decode",
                guarded([this](const httplib::Request& request, const auto&) { return tokens_.Decode(request.body); }));
    server.Post("/user/get-profile", guarded([this](const httplib::Request& request, const auto&)
                                             { return tokens_.GetProfile(request.body, staff_); }));
    server.Put("/shares", guarded([this](const httplib::Request& request, const auto& caller)
                                  { return tokens_.CreateLegacyShare(request.body, caller); }));
    server.Post("/shares/validate",
                guarded([this](const httplib::Request& request, const auto& caller)
                        { return tokens_.Validate(request.body, request.get_header_value("token"), caller); }));

    // Health needs no credentials and says nothing about shares: only
    // whether the store answers.
    server.Get("/health",
               [this](const httplib::Request&, httplib::Response& response)
               {
                 try
                 {
                   store_.Lookup("health-check");
                   Answer(response, 200, {{"status", "ok"}});
                 }
                 catch (const std::exception&)
                 {
                   AnswerError(response, 503, "store-unavailable", "the share store cannot be read");
                 }
               });

    server.set_error_handler(httplib::Server::HandlerWithResponse(
      [](const httplib::Request& request, httplib::Response& response)
      {
        if (!response.body.empty())
        {
          return httplib::Server::HandlerResponse::Unhandled;
        }
        AnswerError(response, response.status, response.status == 404 ? "not-found" : "error",
                    response.status == 404 ? "no such route: " + request.method + " " + request.path
                                           : "the request could not be handled");
        return httplib::Server::HandlerResponse::Handled;
      }));
    server.set_exception_handler([](const httplib::Request&, httplib::Response& response, std::exception_ptr)
                                 { AnswerError(response, 500, "internal-error", "internal error"); });
  }
}
