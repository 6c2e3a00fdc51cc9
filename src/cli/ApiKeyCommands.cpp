// SPDX-License-Identifier: GPL-3.0-or-later
#include "ApiKeyCommands.h"

#include "Display.h"

#include <iostream>

namespace studyshare::cli
{
  namespace
  {
    using Json = nlohmann::json;

    std::string DateOr(const Json& key, const char* field, const char* none)
    {
      return key.contains(field) && key[field].is_string() ? key[field].get<std::string>() : none;
    }
  }

  int CreateApiKey(const ApiClient& api, const ApiKeyOptions& options, const OutputOptions& output)
  {
    Json body = {{"Name", options.name}, {"Role", options.role}};
    if (options.days)
    {
      body["ValidityDuration"] = *options.days * 86400;
    }
    const Json created = api.Post("/studyshare/api-keys", body);
    if (output.json)
    {
      std::cout << created.dump(2) << "\n";
      return 0;
    }
    std::cout << "API key " << Text(created, "ID") << " (" << Text(created, "Name") << ", " << Text(created, "Role")
              << "), expires: " << DateOr(created, "ExpirationDate", "never") << "\n"
              << "Key (shown only now; send it as 'Authorization: Bearer <key>'):\n"
              << Text(created, "Key") << "\n";
    return 0;
  }

  int ListApiKeys(const ApiClient& api, const OutputOptions& output)
  {
    const Json keys = api.Get("/studyshare/api-keys");
    if (output.json)
    {
      std::cout << keys.dump(2) << "\n";
      return 0;
    }
    if (!keys.is_array() || keys.empty())
    {
      std::cout << "No API keys.\n";
      return 0;
    }
    for (const Json& key : keys)
    {
      std::cout << Text(key, "ID") << "  " << Text(key, "Name") << "  " << Text(key, "Role") << "  "
                << Text(key, "State") << "  created " << DateOr(key, "CreatedDate", "-") << " by "
                << Text(key, "CreatedBy") << "  last used " << DateOr(key, "LastUsedDate", "never") << "  expires "
                << DateOr(key, "ExpirationDate", "never") << "\n";
    }
    return 0;
  }

  int RevokeApiKey(const ApiClient& api, const std::string& id, const OutputOptions& output)
  {
    if (id.empty())
    {
      throw UsageError("an API key ID is required");
    }
    const Json revoked = api.Delete("/studyshare/api-keys/" + ApiClient::Escape(id));
    if (output.json)
    {
      std::cout << revoked.dump(2) << "\n";
      return 0;
    }
    std::cout << "API key " << id << " revoked: it stops working at once.\n";
    return 0;
  }
}
