// SPDX-License-Identifier: GPL-3.0-or-later
#include "StaffRoutes.h"

#include "CallbackGuard.h"
#include "HttpFilter.h"
#include "RequestAdapter.h"
#include "TextUtilities.h"
#include "WebPages.h"

namespace studyshare::plugin
{
  namespace
  {
    std::string CookieAttributes(int64_t maxAge)
    {
      const bool secure = StartsWith(PluginRuntime::Get().Config().publicUrl, "https://");
      return "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + std::to_string(maxAge) + (secure ? "; Secure" : "");
    }

    OrthancPluginErrorCode OnLogin(OrthancPluginRestOutput* output, const char* url,
                                   const OrthancPluginHttpRequest* request)
    {
      return GuardRestCallback(
        output,
        [&]
        {
          PluginRuntime& runtime = PluginRuntime::Get();
          OrthancPluginContext* context = runtime.Orthanc().Context();
          if (request->method != OrthancPluginHttpMethod_Post)
          {
            return OrthancPluginSendMethodNotAllowed(context, output, "POST");
          }
          (void)url;
          const int64_t now = PluginRuntime::CurrentTime();
          const std::string body(static_cast<const char*>(request->body), request->bodySize);
          const nlohmann::json json =
            body.size() <= 4096 ? nlohmann::json::parse(body, nullptr, false) : nlohmann::json();
          if (!json.is_object() || !json.contains("Username") || !json["Username"].is_string() ||
              !json.contains("Password") || !json["Password"].is_string() || json.size() != 2)
          {
            return AnswerJson(output, 400,
                              {{"Error", "bad-request"},
                               {"Message", "the body must be {\"Username\": \"...\", \"Password\": \"...\"}"}});
          }
          // The same limits as HTTP Basic: one StaffDirectory counts both.
          const StaffCheck check = runtime.Staff().Check(json["Username"].get<std::string>(),
                                                         json["Password"].get<std::string>(), CurrentClientAddress());
          switch (check.refusal)
          {
            case StaffRefusal::None:
              break;
            case StaffRefusal::RateLimited:
              return AnswerJson(output, 503,
                                {{"Error", "rate-limited"}, {"Message", "too many failed logins; wait a minute"}});
            case StaffRefusal::Busy:
              return AnswerJson(output, 503, {{"Error", "busy"}, {"Message", "the server is busy; try again"}});
            case StaffRefusal::WrongCredentials:
              return AnswerJson(output, 401, {{"Error", "unauthorized"}, {"Message", "wrong user name or password"}});
          }
          const std::optional<StaffUser>& user = check.user;
          const std::string session = runtime.Sessions().Create(*user, now);
          OrthancPluginSetCookie(context, output, runtime.Config().gate.staffCookie.c_str(),
                                 (session + CookieAttributes(runtime.Sessions().GetIdleSeconds())).c_str());
          AnswerJson(output, 200, {{"Username", user->name}, {"Role", ToString(user->role)}});
        });
    }

    OrthancPluginErrorCode OnLogout(OrthancPluginRestOutput* output, const char* url,
                                    const OrthancPluginHttpRequest* request)
    {
      return GuardRestCallback(output,
                               [&]
                               {
                                 PluginRuntime& runtime = PluginRuntime::Get();
                                 OrthancPluginContext* context = runtime.Orthanc().Context();
                                 if (request->method != OrthancPluginHttpMethod_Post)
                                 {
                                   return OrthancPluginSendMethodNotAllowed(context, output, "POST");
                                 }
                                 const HttpRequest logout = FromRestRequest(url, request);
                                 const Credentials credentials = runtime.GetGate().ExtractCredentials(logout);
                                 if (credentials.staffSession)
                                 {
                                   runtime.Sessions().Remove(std::string(*credentials.staffSession));
                                 }
                                 OrthancPluginSetCookie(context, output, runtime.Config().gate.staffCookie.c_str(),
                                                        CookieAttributes(0).c_str());
                                 AnswerJson(output, 200, {{"LoggedOut", true}});
                               });
    }

    OrthancPluginErrorCode OnMe(OrthancPluginRestOutput* output, const char* url,
                                const OrthancPluginHttpRequest* request)
    {
      return GuardRestCallback(
        output,
        [&]
        {
          PluginRuntime& runtime = PluginRuntime::Get();
          const auto user = runtime.GetGate().AuthenticateStaff(FromRestRequest(url, request));
          if (!user)
          {
            return AnswerJson(output, 401, {{"Error", "unauthorized"}, {"Message", "not logged in"}});
          }
          // What the Share dialog and the CLI propose and may offer.
          const StudyShareConfig& config = runtime.Config();
          AnswerJson(output, 200,
                     {{"Username", user->name},
                      {"Role", ToString(user->role)},
                      {"DefaultValidityDuration", config.defaultValidityDuration},
                      {"MaxValidityDuration", config.maxValidityDuration},
                      {"AllowNeverExpiring", config.allowNeverExpiring},
                      {"EmailEnabled", runtime.Shares().EmailEnabled()},
                      {"EmailDefaultLanguage", config.email.defaultLanguage}});
        });
    }

    OrthancPluginErrorCode OnStaffPage(OrthancPluginRestOutput* output, const char*,
                                       const OrthancPluginHttpRequest* request)
    {
      return GuardRestCallback(output, [&] { AnswerEmbeddedFolder(output, request, "staff", "studyshare/staff"); });
    }
  }

  void RegisterStaffRoutes(OrthancPluginContext* context)
  {
    OrthancPluginRegisterRestCallbackNoLock(context, "/studyshare/api/login", OnLogin);
    OrthancPluginRegisterRestCallbackNoLock(context, "/studyshare/api/logout", OnLogout);
    OrthancPluginRegisterRestCallbackNoLock(context, "/studyshare/api/me", OnMe);
    OrthancPluginRegisterRestCallbackNoLock(context, "/studyshare/staff", OnStaffPage);
    OrthancPluginRegisterRestCallbackNoLock(context, "/studyshare/staff/(.*)", OnStaffPage);
  }
}
