// SPDX-License-Identifier: GPL-3.0-or-later
#include "ExplorerInboxLink.h"

#include "AuthWireProtocol.h"
#include "ShareRequest.h"

namespace studyshare
{
  using Json = nlohmann::json;

  std::string ExplorerInboxRequest(const std::string& body)
  {
    const Json json = ParseJsonObject(body);
    if (json.contains("Type") && json["Type"] != "inbox-link")
    {
      throw BadRequest("'Type' says " + json["Type"].dump() + " but the URL says inbox-link");
    }
    if (json.contains("Resources") && !(json["Resources"].is_array() && json["Resources"].empty()))
    {
      throw BadRequest("an inbox link receives studies and names none: 'Resources' must be empty");
    }
    Json request = {{"Kind", "Inbox"}};
    // Like the other token types, a date decides alone when both are given.
    if (json.contains("ExpirationDate") && !json["ExpirationDate"].is_null())
    {
      request["ExpirationDate"] = json["ExpirationDate"];
    }
    else if (json.contains("ValidityDuration") && !json["ValidityDuration"].is_null())
    {
      request["ValidityDuration"] = json["ValidityDuration"];
    }
    if (json.contains("Id") && !json["Id"].is_null())
    {
      if (!json["Id"].is_string())
      {
        throw BadRequest("'Id' must be a string");
      }
      request["Note"] = json["Id"];
    }
    return request.dump();
  }

  ApiResponse ExplorerInboxAnswer(const ApiResponse& created)
  {
    if (created.status != 201 && created.status != 200)
    {
      return created;
    }
    return {200, {{"Token", created.body.value("Token", "")}, {"Url", created.body.value("Url", "")}}};
  }
}
