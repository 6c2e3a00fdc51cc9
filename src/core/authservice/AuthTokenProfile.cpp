// SPDX-License-Identifier: GPL-3.0-or-later
#include "AuthTokenService.h"

#include "TextUtilities.h"

// POST /user/get-profile: who a token stands for, in the permission names of
// the authorization plugin and Orthanc Explorer 2. Staff send their Basic
// credentials as the token; anything else is the anonymous profile, so the
// authorization plugin goes on to ask /tokens/validate about share tokens.
namespace studyshare
{
  namespace
  {
    using Json = nlohmann::json;

    const char* const kAdminPermissions[] = {"all",
                                             "view",
                                             "download",
                                             "delete",
                                             "send",
                                             "modify",
                                             "anonymize",
                                             "upload",
                                             "q-r-remote-modalities",
                                             "settings",
                                             "api-view",
                                             "edit-labels",
                                             "admin-permissions",
                                             "audit-logs",
                                             "share"};
    const char* const kSharerPermissions[] = {"view", "download", "share"};
  }

  ApiResponse AuthTokenService::GetProfile(const std::string& body, StaffDirectory& staff)
  {
    try
    {
      const ProfileQuery query = ProfileQuery::Parse(body);
      std::optional<StaffUser> user;
      // As for /tokens/validate: with SERVER_ID set, another server (or one
      // without an identifier) gets nothing, here the anonymous profile.
      const bool fromThisServer = settings_.serverId.empty() || query.serverId == settings_.serverId;
      if (fromThisServer && IsBasicAuthorization(query.tokenValue))
      {
        user = staff.AuthenticateBasic(Trim(query.tokenValue));
      }
      if (!user)
      {
        return {200,
                {{"name", "Anonymous"},
                 {"user-id", nullptr},
                 {"permissions", Json::array()},
                 {"groups", Json::array()},
                 {"authorized-labels", Json::array()},
                 {"validity", settings_.answerValiditySeconds}}};
      }
      Json permissions = Json::array();
      if (user->role == StaffRole::Admin)
      {
        for (const char* name : kAdminPermissions)
        {
          permissions.push_back(name);
        }
      }
      else
      {
        for (const char* name : kSharerPermissions)
        {
          permissions.push_back(name);
        }
      }
      return {200,
              {{"name", user->name},
               {"user-id", user->name},
               {"permissions", permissions},
               {"groups", Json::array({ToString(user->role)})},
               {"authorized-labels", Json::array({"*"})},
               {"validity", settings_.answerValiditySeconds}}};
    }
    catch (const BadRequest& e)
    {
      return WireError(400, e.what());
    }
  }
}
