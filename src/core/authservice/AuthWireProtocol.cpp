// SPDX-License-Identifier: GPL-3.0-or-later
#include "AuthWireProtocol.h"

#include "IpAddress.h"

#include "IsoTime.h"
#include "ResourceRef.h"
#include "TextUtilities.h"

namespace studyshare
{
  namespace
  {
    using Json = nlohmann::json;

    constexpr size_t kMaxResources = 100;

    // Field names of one dialect: the kebab-case wire or Explorer 2's PascalCase.
    struct Dialect
    {
      const char* resources;
      const char* level;
      const char* orthancId;
      const char* dicomUid;
      const char* url;
      const char* type;
      const char* expirationDate;
      const char* validityDuration;
      const char* id;
    };

    constexpr Dialect kWire = {"resources", "level",           "orthanc-id",        "dicom-uid", "url",
                               "type",      "expiration-date", "validity-duration", "id"};
    constexpr Dialect kExplorer = {"Resources", "Level",          "OrthancId",        "DicomUid", "Url",
                                   "Type",      "ExpirationDate", "ValidityDuration", "Id"};

    bool Present(const Json& object, const char* key)
    {
      return object.contains(key) && !object.at(key).is_null();
    }

    std::string OptionalString(const Json& object, const char* key, const std::string& where = "")
    {
      if (!Present(object, key))
      {
        return "";
      }
      if (!object.at(key).is_string())
      {
        throw BadRequest("'" + where + key + "' must be a string");
      }
      return object.at(key).get<std::string>();
    }

    std::string RequiredString(const Json& object, const char* key)
    {
      if (!Present(object, key))
      {
        throw BadRequest("'" + std::string(key) + "' is missing");
      }
      return OptionalString(object, key);
    }

    std::string OneOf(const std::string& value, const char* key, std::initializer_list<const char*> allowed)
    {
      const std::string lower = ToLowerAscii(value);
      std::string names;
      for (const char* candidate : allowed)
      {
        if (lower == candidate)
        {
          return lower;
        }
        names += (names.empty() ? "" : ", ") + std::string(candidate);
      }
      throw BadRequest("'" + std::string(key) + "' must be one of " + names);
    }

    WireResource ParseResource(const Json& item, size_t index, const Dialect& names)
    {
      const std::string where = std::string(names.resources) + "[" + std::to_string(index) + "].";
      if (!item.is_object())
      {
        throw BadRequest("'" + where.substr(0, where.size() - 1) + "' must be an object");
      }
      WireResource resource;
      const std::string level = ToLowerAscii(OptionalString(item, names.level, where));
      // Series, as the Python service accepts them on the wire; Orthanc
      // Explorer 2 shares whole studies only.
      const bool seriesAllowed = &names == &kWire;
      if (!level.empty() && level != "study" && !(seriesAllowed && level == "series"))
      {
        throw BadRequest("'" + where + names.level + "' must be study" + (seriesAllowed ? " or series" : "") +
                         ": links share whole studies" + (seriesAllowed ? " or series" : ""));
      }
      resource.level = level.empty() ? "study" : level;
      resource.orthancId = OptionalString(item, names.orthancId, where);
      resource.dicomUid = OptionalString(item, names.dicomUid, where);
      resource.url = OptionalString(item, names.url, where);
      if (&names == &kWire)
      {
        resource.patientName = OptionalString(item, "patient-name", where);
        resource.patientId = OptionalString(item, "patient-id", where);
        resource.studyDate = OptionalString(item, "study-date", where);
        resource.studyDescription = OptionalString(item, "study-description", where);
      }
      if (resource.orthancId.empty() && resource.dicomUid.empty())
      {
        throw BadRequest("'" + where.substr(0, where.size() - 1) + "' needs '" + names.orthancId + "' or '" +
                         names.dicomUid + "'");
      }
      if (!resource.orthancId.empty() && !IsOrthancId(resource.orthancId))
      {
        throw BadRequest("'" + where + names.orthancId + "' is not an Orthanc identifier");
      }
      if (!resource.dicomUid.empty() && !IsDicomUid(resource.dicomUid))
      {
        throw BadRequest("'" + where + names.dicomUid + "' is not a DICOM UID");
      }
      return resource;
    }

    // The Python service's precedence: an 'expiration-date' decides alone and
    // 'validity-duration' beside it is not read (the authorization plugin
    // sends an uninitialised one next to a valid date); a duration given
    // alone must make sense.
    std::optional<int64_t> ParseExpiry(const Json& body, const Dialect& names, int64_t now)
    {
      if (Present(body, names.expirationDate))
      {
        const std::string text = OptionalString(body, names.expirationDate);
        const std::optional<int64_t> expiresAt = ParseIsoTime(text);
        if (!expiresAt)
        {
          throw BadRequest("'" + std::string(names.expirationDate) +
                           "' must be an ISO-8601 date and time with a zone, e.g. 2026-12-31T18:00:00+00:00");
        }
        if (*expiresAt <= now)
        {
          throw BadRequest("'" + std::string(names.expirationDate) + "' is in the past");
        }
        return expiresAt;
      }
      if (!Present(body, names.validityDuration))
      {
        return std::nullopt;
      }
      const Json& value = body.at(names.validityDuration);
      if (!value.is_number_integer() || value.get<int64_t>() < 0 || value.get<int64_t>() > 100LL * 365 * 86400)
      {
        throw BadRequest("'" + std::string(names.validityDuration) +
                         "' must be a whole number of seconds (0: no limit)");
      }
      const int64_t seconds = value.get<int64_t>();
      return seconds > 0 ? std::optional<int64_t>(now + seconds) : std::nullopt;
    }

    TokenCreation ParseCreation(const std::string& pathType, const std::string& body, int64_t now, const Dialect& names)
    {
      const Json json = ParseJsonObject(body);
      TokenCreation creation;
      const auto type = ParseAuthTokenType(pathType);
      if (!type)
      {
        throw BadRequest("unknown token type '" + pathType + "'; known types: " + ListAuthTokenTypes());
      }
      creation.type = *type;
      const std::string bodyType = OptionalString(json, names.type);
      if (!bodyType.empty() && bodyType != pathType)
      {
        throw BadRequest("'" + std::string(names.type) + "' says " + bodyType + " but the URL says " + pathType);
      }
      creation.id = OptionalString(json, names.id);
      if (creation.id.empty() && &names == &kExplorer)
      {
        creation.id = OptionalString(json, "ID");  // the authorization plugin's spelling
      }
      if (!Present(json, names.resources) || !json.at(names.resources).is_array() || json.at(names.resources).empty())
      {
        throw BadRequest("'" + std::string(names.resources) + "' must be a non-empty array");
      }
      const Json& resources = json.at(names.resources);
      if (resources.size() > kMaxResources)
      {
        throw BadRequest("too many resources (at most " + std::to_string(kMaxResources) + ")");
      }
      for (size_t i = 0; i < resources.size(); i++)
      {
        creation.resources.push_back(ParseResource(resources[i], i, names));
      }
      creation.expiresAt = ParseExpiry(json, names, now);
      creation.createdBy = OptionalString(json, "created-by");
      if (creation.createdBy.size() > 128)
      {
        throw BadRequest("'created-by' is longer than 128 characters");
      }
      creation.request = creation.ToWire();
      if (Present(json, names.validityDuration))
      {
        creation.request["validity-duration"] = json.at(names.validityDuration);
      }
      return creation;
    }

    std::optional<AuthTokenType> LegacyShareType(const std::string& name)
    {
      if (auto type = ParseAuthTokenType(name))
      {
        return type;
      }
      // orthanc-share named its types after the viewer alone.
      return ParseAuthTokenType(name + "-publication");
    }
  }

  Json ParseJsonObject(const std::string& body)
  {
    Json json = Json::parse(body, nullptr, false);
    if (json.is_discarded() || !json.is_object())
    {
      throw BadRequest("the body must be a JSON object");
    }
    return json;
  }

  TokenCreation TokenCreation::ParseWire(const std::string& pathType, const std::string& body, int64_t now)
  {
    return ParseCreation(pathType, body, now, kWire);
  }

  TokenCreation TokenCreation::ParseExplorer(const std::string& pathType, const std::string& body, int64_t now)
  {
    return ParseCreation(pathType, body, now, kExplorer);
  }

  TokenCreation TokenCreation::ParseLegacyShare(const std::string& body, int64_t now)
  {
    Json json = ParseJsonObject(body);
    const std::string typeName = RequiredString(json, "type");
    const auto type = LegacyShareType(typeName);
    if (!type)
    {
      throw BadRequest("unknown share type '" + typeName + "'");
    }
    if (!Present(json, "studies") || !json["studies"].is_array() || json["studies"].empty())
    {
      throw BadRequest("'studies' must be a non-empty array");
    }
    bool anonymized = false;
    if (Present(json, "anonymized"))
    {
      if (!json["anonymized"].is_boolean())
      {
        throw BadRequest("'anonymized' must be true or false");
      }
      anonymized = json["anonymized"].get<bool>();
    }
    Json translated = {{"resources", json["studies"]}};
    for (const char* key : {"id", "expiration-date", "validity-duration"})
    {
      if (json.contains(key))
      {
        translated[key] = json[key];
      }
    }
    TokenCreation creation = ParseCreation(ToString(*type), translated.dump(), now, kWire);
    creation.anonymized = anonymized;
    creation.request = json;
    return creation;
  }

  Json TokenCreation::ToWire() const
  {
    Json resourcesJson = Json::array();
    for (const WireResource& resource : resources)
    {
      Json item = {{"level", resource.level}};
      item["orthanc-id"] = resource.orthancId.empty() ? Json() : Json(resource.orthancId);
      item["dicom-uid"] = resource.dicomUid.empty() ? Json() : Json(resource.dicomUid);
      item["url"] = resource.url.empty() ? Json() : Json(resource.url);
      for (const auto& [key, value] :
           {std::pair{"patient-name", &resource.patientName}, std::pair{"patient-id", &resource.patientId},
            std::pair{"study-date", &resource.studyDate}, std::pair{"study-description", &resource.studyDescription}})
      {
        if (!value->empty())
        {
          item[key] = *value;
        }
      }
      resourcesJson.push_back(item);
    }
    Json wire = {{"id", id.empty() ? Json() : Json(id)}, {"resources", resourcesJson}, {"type", ToString(type)}};
    wire["expiration-date"] = expiresAt ? Json(FormatIsoTime(*expiresAt)) : Json();
    wire["validity-duration"] = Json();
    return wire;
  }

  ValidationQuery ValidationQuery::Parse(const std::string& body)
  {
    const Json json = ParseJsonObject(body);
    ValidationQuery query;
    query.level = OneOf(RequiredString(json, "level"), "level", {"system", "patient", "study", "series", "instance"});
    query.method = OneOf(RequiredString(json, "method"), "method", {"get", "post", "put", "delete", "head"});
    // Anonymous requests carry no token at all: a refusal, not a malformed body.
    query.tokenValue = OptionalString(json, "token-value");
    query.tokenKey = OptionalString(json, "token-key");
    query.orthancId = OptionalString(json, "orthanc-id");
    query.dicomUid = OptionalString(json, "dicom-uid");
    query.serverId = OptionalString(json, "server-id");
    query.uri = OptionalString(json, "uri");
    const std::string client = OptionalString(json, "ip");
    if (!client.empty())
    {
      const auto address = IpAddress::Parse(client);
      if (!address)
      {
        throw BadRequest("'ip' must be an IPv4 or IPv6 address");
      }
      query.clientAddress = address->ToString();
    }
    return query;
  }

  Json ValidationQuery::ToWire() const
  {
    Json wire = {{"level", level}, {"method", method}, {"token-key", tokenKey}, {"token-value", tokenValue}};
    wire["orthanc-id"] = orthancId.empty() ? Json() : Json(orthancId);
    wire["dicom-uid"] = dicomUid.empty() ? Json() : Json(dicomUid);
    wire["server-id"] = serverId.empty() ? Json() : Json(serverId);
    wire["uri"] = uri.empty() ? Json() : Json(uri);
    if (!clientAddress.empty())
    {
      wire["ip"] = clientAddress;
    }
    return wire;
  }

  DecodeQuery DecodeQuery::ParseWire(const std::string& body)
  {
    const Json json = ParseJsonObject(body);
    return {OptionalString(json, "token-key"), RequiredString(json, "token-value")};
  }

  DecodeQuery DecodeQuery::ParseExplorer(const std::string& body)
  {
    const Json json = ParseJsonObject(body);
    return {OptionalString(json, "TokenKey"), RequiredString(json, "TokenValue")};
  }

  ProfileQuery ProfileQuery::Parse(const std::string& body)
  {
    const Json json = ParseJsonObject(body);
    ProfileQuery query;
    query.tokenKey = OptionalString(json, "token-key");
    query.tokenValue = OptionalString(json, "token-value");
    query.serverId = OptionalString(json, "server-id");
    query.identifier = OptionalString(json, "identifier");
    return query;
  }
}
