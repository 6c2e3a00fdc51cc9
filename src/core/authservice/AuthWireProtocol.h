// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "AuthTokenType.h"
#include "ShareRequest.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace studyshare
{
  // The messages of the token web-service protocol (Orthanc's authorization
  // plugin 0.5+, Orthanc Explorer 2), parsed strictly enough that every
  // malformed body is a BadRequest naming the field. Field names are the
  // protocol's kebab-case; Orthanc Explorer 2's PascalCase variants of the
  // plugin's /auth routes are read by the *Explorer functions.

  struct WireResource
  {
    std::string level = "study";  // lower case
    std::string orthancId;
    std::string dicomUid;
    std::string url;
    // StudyShare's extension, sent by its plugin only ("patient-name",
    // "patient-id", "study-date", "study-description"): what Orthanc says of
    // the study, so that the share made from Orthanc Explorer 2 describes it.
    std::string patientName;
    std::string patientId;
    std::string studyDate;
    std::string studyDescription;
  };

  struct TokenCreation
  {
    AuthTokenType type = AuthTokenType::ViewerInstantLink;
    std::string id;         // the caller's label, optional
    std::string createdBy;  // "created-by": the staff member behind the caller (StudyShare's plugin)
    std::vector<WireResource> resources;
    std::optional<int64_t> expiresAt;  // absent: the link never expires
    bool anonymized = false;           // legacy /shares only
    nlohmann::json request;            // the request as understood, echoed in the answer

    // PUT /tokens/{type}: `pathType` is the URL's {type}.
    static TokenCreation ParseWire(const std::string& pathType, const std::string& body, int64_t now);
    // PUT /auth/tokens/{type} of Orthanc Explorer 2 (PascalCase).
    static TokenCreation ParseExplorer(const std::string& pathType, const std::string& body, int64_t now);
    // PUT /shares (the orthanc-share protocol that came before tokens).
    static TokenCreation ParseLegacyShare(const std::string& body, int64_t now);

    nlohmann::json ToWire() const;  // the kebab-case body, as the plugin forwards it to a token service
  };

  struct ValidationQuery
  {
    std::string level;   // system, patient, study, series, instance (lower case)
    std::string method;  // get, post, put, delete (lower case)
    std::string orthancId;
    std::string dicomUid;
    std::string tokenKey;
    std::string tokenValue;
    std::string serverId;
    std::string uri;
    // "ip": the client the caller asks for (StudyShare's plugin in remote
    // mode, after its TrustedProxies). Not in the authorization plugin's
    // protocol, which the Python service ignores; believed only from
    // authenticated callers. Normalized; an address or nothing.
    std::string clientAddress;

    static ValidationQuery Parse(const std::string& body);
    nlohmann::json ToWire() const;
  };

  struct DecodeQuery
  {
    std::string tokenKey;
    std::string tokenValue;

    static DecodeQuery ParseWire(const std::string& body);
    static DecodeQuery ParseExplorer(const std::string& body);
  };

  struct ProfileQuery
  {
    std::string tokenKey;
    std::string tokenValue;
    std::string serverId;
    std::string identifier;

    static ProfileQuery Parse(const std::string& body);
  };

  // A JSON object body, or BadRequest.
  nlohmann::json ParseJsonObject(const std::string& body);
}
