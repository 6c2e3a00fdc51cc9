// SPDX-License-Identifier: GPL-3.0-or-later
#include "ApiKeyApi.h"

#include "IsoTime.h"

namespace studyshare
{
  namespace
  {
    constexpr int64_t kMaxValiditySeconds = 10LL * 366 * 86400;

    ApiResponse Forbidden()
    {
      return {403, {{"Error", "forbidden"}, {"Message", "only an admin may manage API keys"}}};
    }

    nlohmann::json OptionalDate(const std::optional<int64_t>& at)
    {
      return at ? nlohmann::json(FormatIsoTime(*at)) : nlohmann::json(nullptr);
    }

    StaffApiKeys::Actor ActorOf(const ApiCaller& caller)
    {
      return {caller.user.name, caller.clientAddress, caller.userAgent};
    }
  }

  ApiResponse ApiKeyApi::Create(const std::string& body, const ApiCaller& caller)
  {
    if (caller.user.role != StaffRole::Admin)
    {
      return Forbidden();
    }
    const nlohmann::json request = nlohmann::json::parse(body, nullptr, false);
    if (!request.is_object())
    {
      return ShareApi::Error(400, "the body must be a JSON object");
    }
    for (const auto& [key, value] : request.items())
    {
      (void)value;
      if (key != "Name" && key != "Role" && key != "ValidityDuration")
      {
        return ShareApi::Error(400, "unknown field \"" + key + "\" (expected Name, Role, ValidityDuration)");
      }
    }
    const auto name = request.find("Name");
    if (name == request.end() || !name->is_string() || !StaffApiKeys::IsValidName(name->get<std::string>()))
    {
      return ShareApi::Error(400, "\"Name\" must be 1 to 64 letters, digits, '.', '-' or '_'");
    }
    const auto roleField = request.find("Role");
    const std::optional<StaffRole> role = roleField != request.end() && roleField->is_string()
                                            ? ParseStaffRole(roleField->get<std::string>())
                                            : std::nullopt;
    if (!role)
    {
      return ShareApi::Error(400, "\"Role\" must be \"admin\" or \"sharer\"");
    }
    std::optional<int64_t> lifetime;
    if (const auto validity = request.find("ValidityDuration"); validity != request.end())
    {
      if (!validity->is_number_integer() || validity->get<int64_t>() < 0 ||
          validity->get<int64_t>() > kMaxValiditySeconds)
      {
        return ShareApi::Error(400, "\"ValidityDuration\" must be a number of seconds from 0 (never expires) to " +
                                      std::to_string(kMaxValiditySeconds));
      }
      if (validity->get<int64_t>() > 0)
      {
        lifetime = validity->get<int64_t>();
      }
    }
    const StaffApiKeys::Issued issued = keys_.Create(name->get<std::string>(), *role, lifetime, ActorOf(caller));
    return {201,
            {{"ID", issued.record.id},
             {"Name", issued.record.name},
             {"Role", issued.record.role},
             {"Key", issued.key},
             {"CreatedDate", FormatIsoTime(issued.record.createdAt)},
             {"ExpirationDate", OptionalDate(issued.record.expiresAt)}}};
  }

  ApiResponse ApiKeyApi::List(const ApiCaller& caller)
  {
    if (caller.user.role != StaffRole::Admin)
    {
      return Forbidden();
    }
    const int64_t now = clock_();
    nlohmann::json keys = nlohmann::json::array();
    for (const StaffApiKey& key : keys_.List())
    {
      const char* state = key.revokedAt ? "revoked" : key.IsUsableAt(now) ? "active" : "expired";
      keys.push_back({{"ID", key.id},
                      {"Name", key.name},
                      {"Role", key.role},
                      {"CreatedBy", key.createdBy},
                      {"CreatedDate", FormatIsoTime(key.createdAt)},
                      {"LastUsedDate", OptionalDate(key.lastUsedAt)},
                      {"ExpirationDate", OptionalDate(key.expiresAt)},
                      {"RevocationDate", OptionalDate(key.revokedAt)},
                      {"State", state}});
    }
    return {200, keys};
  }

  ApiResponse ApiKeyApi::Revoke(const std::string& id, const ApiCaller& caller)
  {
    if (caller.user.role != StaffRole::Admin)
    {
      return Forbidden();
    }
    if (!keys_.Revoke(id, ActorOf(caller)))
    {
      return ShareApi::Error(404, "no API key with ID " + id);
    }
    return {200, {{"ID", id}, {"State", "revoked"}}};
  }
}
