// SPDX-License-Identifier: GPL-3.0-or-later
#include "PythonServiceToken.h"

#include "Base64Url.h"
#include "Crypto.h"
#include "IsoTime.h"
#include "ResourceRef.h"

#include <nlohmann/json.hpp>

namespace studyshare
{
  namespace
  {
    using Json = nlohmann::json;

    constexpr size_t kMaxTokenBytes = 8192;

    // PyJWT spells fields as the Python model does (dicom_uid) or by alias (dicom-uid).
    std::string Field(const Json& object, const char* snake, const char* kebab)
    {
      for (const char* key : {snake, kebab})
      {
        if (object.contains(key) && object[key].is_string())
        {
          return object[key].get<std::string>();
        }
      }
      return "";
    }

    // Python's isoformat(): with a zone when the service set one, else UTC.
    std::optional<int64_t> ParsePythonDate(const std::string& text)
    {
      if (auto zoned = ParseIsoTime(text))
      {
        return zoned;
      }
      return ParseIsoTime(text + "Z");
    }
  }

  PythonTokenCheck ReadPythonServiceToken(std::string_view token, const std::string& secret, int64_t now)
  {
    PythonTokenCheck check;
    const size_t first = token.find('.');
    const size_t second = first == std::string_view::npos ? first : token.find('.', first + 1);
    if (secret.empty() || token.size() > kMaxTokenBytes || second == std::string_view::npos ||
        token.find('.', second + 1) != std::string_view::npos)
    {
      return check;
    }
    // Pinned before anything else is read: HS256 and nothing more in the header.
    const auto header = Base64UrlDecode(token.substr(0, first));
    const auto signature = Base64UrlDecode(token.substr(second + 1));
    if (!header || !signature)
    {
      return check;
    }
    const Json headerJson = Json::parse(*header, nullptr, false);
    if (!headerJson.is_object() || !headerJson.contains("alg") || headerJson["alg"] != "HS256" ||
        (headerJson.contains("typ") && headerJson["typ"] != "JWT") || headerJson.size() > 2)
    {
      return check;
    }
    if (!crypto::ConstantTimeEquals(crypto::HmacSha256(secret, token.substr(0, second)), *signature))
    {
      return check;
    }

    const auto payload = Base64UrlDecode(token.substr(first + 1, second - first - 1));
    const Json claims = payload ? Json::parse(*payload, nullptr, false) : Json();
    if (!claims.is_object() || !claims.contains("type") || !claims["type"].is_string() ||
        !claims.contains("resources") || !claims["resources"].is_array())
    {
      return check;
    }
    const auto type = ParseAuthTokenType(claims["type"].get<std::string>());
    if (!type)
    {
      return check;
    }
    PythonServiceToken parsed;
    parsed.type = *type;
    for (const Json& resource : claims["resources"])
    {
      if (!resource.is_object() || Field(resource, "level", "level") != "study")
      {
        continue;  // the Python service grants studies only
      }
      SharedStudy study;
      study.orthancId = Field(resource, "orthanc_id", "orthanc-id");
      study.dicomUid = Field(resource, "dicom_uid", "dicom-uid");
      if ((!study.orthancId.empty() && !IsOrthancId(study.orthancId)) ||
          (!study.dicomUid.empty() && !IsDicomUid(study.dicomUid)) ||
          (study.orthancId.empty() && study.dicomUid.empty()))
      {
        return check;
      }
      parsed.studies.push_back(study);
    }
    if (parsed.studies.empty())
    {
      return check;
    }
    const std::string expiration = Field(claims, "expiration_date", "expiration-date");
    if (!expiration.empty())
    {
      parsed.expiresAt = ParsePythonDate(expiration);
      if (!parsed.expiresAt)
      {
        return check;
      }
    }
    check.token = parsed;
    check.status = parsed.expiresAt && now >= *parsed.expiresAt ? PythonTokenStatus::Expired : PythonTokenStatus::Valid;
    return check;
  }
}
