// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "PostgresConnection.h"

#include "Gate.h"
#include "KeyRing.h"
#include "RequestGrammar.h"
#include "SharingSettings.h"
#include "StaffDirectory.h"
#include "TrustedProxies.h"
#include "ViewerLinks.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace studyshare
{
  class ConfigurationError : public std::runtime_error
  {
  public:
    using std::runtime_error::runtime_error;
  };

  struct KeySpec
  {
    std::string kid;
    TokenAlgorithm algorithm = TokenAlgorithm::HS256;
    std::string material;  // HS256 secret bytes, or Ed25519 PEM
  };

  struct StaffAccountSpec
  {
    std::string name;
    std::string secret;
    bool hashed = false;
    StaffRole role = StaffRole::Admin;
    std::vector<std::string> labels;  // a sharer limited to studies carrying one of these (Orthanc >= 1.12)
  };

  // Remote mode: where the token service listens and how to call it.
  struct RemoteSettings
  {
    std::string url;  // "WebService", no trailing '/'
    std::string username;
    std::string password;
    std::string identifier;  // sent as server-id
    int64_t timeoutMilliseconds = 2000;
    int64_t cacheSeconds = 10;  // longest a service answer is reused
  };

  // Everything the plugin reads from Orthanc's configuration, parsed once and
  // validated at start-up: wrong types, bad ranges and unknown keys stop
  // Orthanc with a message naming the key.
  // The settings the sharing domain reads come from its own base, so that
  // domain needs no upward include of this file.
  struct StudyShareConfig : SharingSettings
  {
    std::string publicPath;  // the path part of publicUrl ("https://host/orthanc" → "/orthanc"), no trailing '/'
    std::vector<KeySpec> keys;
    std::string signingKid;
    std::string generatedSecretPath;  // set when no key is configured: a secret kept in this file

    std::string mode = "local";  // "remote": share tokens are judged by the token service
    RemoteSettings remote;

    std::string storeType = "sqlite";
    std::string storePath;
    PostgresSettings postgres;  // Type postgresql: Connection (or ConnectionFile), pool and time limits

    GateSettings gate;
    GrammarSettings grammar;
    TrustedProxies trustedProxies;  // whose X-Forwarded-For / Forwarded names the client

    int64_t leewaySeconds = 30;
    int64_t shareCacheMilliseconds = 1000;
    int64_t resolverCacheSize = 20000;
    int64_t resolverCacheSeconds = 300;

    int64_t sessionLifetime = 4 * 3600;
    int64_t codeAttemptsPerClientPerMinute = 10;
    int64_t codeAttemptsPerMinute = 100;
    int64_t emailCodeValiditySeconds = 600;  // "RequireEmailCode": how long a code sent works
    int64_t emailCodesPerHour = 3;           // and how many are sent per share in an hour
    int64_t staffSessionIdleSeconds = 1800;
    int64_t staffFailuresPerClientPerMinute = 10;  // login page and HTTP Basic together
    int64_t staffFailuresPerUserPerMinute = 10;

    std::vector<StaffAccountSpec> staff;

    std::string ohifFolder;          // empty: OHIF not served
    std::string ohifRoot = "/ohif";  // no trailing slash

    static StudyShareConfig Parse(const nlohmann::json& orthancConfiguration);

    KeyRing BuildKeyRing() const;
    // Where this server publishes its viewers and landing page.
    PublicRoots OwnPublicRoots() const;
    void FillStaffDirectory(StaffDirectory& directory) const;
    StaffSignInLimits StaffLimits() const;
    // The server key under which staff API keys are stored (HMAC-SHA256):
    // derived from the first of "Keys" (or the Secret), so every node of a
    // shared store computes the same digests.
    std::string ApiKeyDigestKey() const;
  };

  // Reads a whole file; throws ConfigurationError naming the key that pointed at it.
  std::string ReadConfiguredFile(const std::string& path, const std::string& key);

  // A random HS256 secret kept in `path` (created with mode 0600 when missing),
  // so a default installation keeps its links valid across restarts.
  std::string LoadOrCreateSecretFile(const std::string& path);
}
