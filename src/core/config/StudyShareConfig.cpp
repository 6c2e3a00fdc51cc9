// SPDX-License-Identifier: GPL-3.0-or-later
#include "StudyShareConfig.h"

#include "ConfigSection.h"
#include "Crypto.h"
#include "FileReading.h"
#include "MailTemplates.h"
#include "OrthancStartChecks.h"
#include "RouteFamilies.h"
#include "StoreFolder.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <algorithm>

#include <fstream>

namespace studyshare
{
  using namespace config;

  std::string ReadConfiguredFile(const std::string& path, const std::string& key)
  {
    auto content = ReadWholeFile(path);
    if (!content)
    {
      throw ConfigurationError("configuration: cannot read the file named by '" + key + "': " + path);
    }
    return *content;
  }

  std::string LoadOrCreateSecretFile(const std::string& path)
  {
    if (const auto existing = ReadWholeFile(path))
    {
      return Trim(*existing);
    }
    try
    {
      EnsureStoreFolder(path, "StorageDirectory, or set StudyShare.Secret / SecretFile");
    }
    catch (const StoreFolderError& e)
    {
      throw ConfigurationError(e.what());
    }
    const std::string secret = crypto::RandomId(48);
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, S_IRUSR | S_IWUSR);
    if (fd < 0 || ::write(fd, secret.data(), secret.size()) != static_cast<ssize_t>(secret.size()))
    {
      if (fd >= 0)
      {
        ::close(fd);
      }
      throw ConfigurationError("cannot create the StudyShare secret file " + path);
    }
    ::close(fd);
    return secret;
  }

  StudyShareConfig StudyShareConfig::Parse(const Json& orthanc)
  {
    if (!orthanc.is_object())
    {
      throw ConfigurationError("configuration: the Orthanc configuration is not a JSON object");
    }
    CheckOrthancAuthenticationIsOff(orthanc);
    CheckNoMisspeltSection(orthanc);
    StudyShareConfig config;
    static const Json kEmpty = Json::object();
    Section section(orthanc.contains("StudyShare") ? orthanc["StudyShare"] : kEmpty, "StudyShare");

    const std::string storageDirectory = ReadOrthancString(orthanc, "StorageDirectory", "OrthancStorage", "");
    const Json& port = orthanc.contains("HttpPort") ? orthanc["HttpPort"] : Json(8042);
    if (!port.is_number_integer())
    {
      throw ConfigurationError("configuration: 'HttpPort' must be an integer");
    }
    const int64_t httpPort = port.get<int64_t>();

    config.publicUrl =
      TrimTrailingSlashes(section.GetString("PublicUrl", "http://localhost:" + std::to_string(httpPort)));
    if (!StartsWith(config.publicUrl, "http://") && !StartsWith(config.publicUrl, "https://"))
    {
      throw ConfigurationError("configuration: 'StudyShare.PublicUrl' must start with http:// or https://");
    }
    config.publicPath = PublicPathOf(config.publicUrl);
    config.audience = section.GetString("Audience", config.audience);
    ParseKeys(section, config);
    if (config.keys.empty())
    {
      config.generatedSecretPath = storageDirectory + "/studyshare-secret.key";
    }
    ParseStore(section, config, storageDirectory);

    ParseMode(section, config);
    ParseTrustedProxies(section, config);

    config.gate.tokenHeader = ToLowerAscii(section.GetString("TokenHeader", config.gate.tokenHeader));
    config.gate.tokenArgument = section.GetString("TokenArgument", config.gate.tokenArgument);
    config.grammar.tokenArgument = config.gate.tokenArgument;
    if (config.gate.tokenHeader.empty() || config.gate.tokenArgument.empty())
    {
      throw ConfigurationError("configuration: 'StudyShare.TokenHeader' and 'TokenArgument' must not be empty");
    }

    if (orthanc.contains("DicomWeb") && orthanc["DicomWeb"].is_object())
    {
      const Json& dicomWeb = orthanc["DicomWeb"];
      config.grammar.dicomWebRoot = ReadOrthancString(dicomWeb, "Root", config.grammar.dicomWebRoot, "DicomWeb.");
      config.grammar.wadoRoot = ReadOrthancString(dicomWeb, "WadoRoot", config.grammar.wadoRoot, "DicomWeb.");
    }

    constexpr int64_t kHundredYears = 100LL * 365 * 24 * 3600;
    config.maxValidityDuration =
      section.GetInteger("MaxValidityDuration", config.maxValidityDuration, 60, kHundredYears);
    config.allowNeverExpiring = section.GetBool("AllowNeverExpiring", config.allowNeverExpiring);
    config.defaultValidityDuration = section.GetInteger(
      "DefaultValidityDuration", std::min(config.defaultValidityDuration, config.maxValidityDuration),
      config.allowNeverExpiring ? 0 : 60, config.maxValidityDuration);
    config.leewaySeconds = section.GetInteger("LeewaySeconds", config.leewaySeconds, 0, 300);
    config.shareCacheMilliseconds =
      section.GetInteger("ShareCacheMilliseconds", config.shareCacheMilliseconds, 0, 60000);
    config.resolverCacheSize = section.GetInteger("ResolverCacheSize", config.resolverCacheSize, 0, 10000000);
    config.resolverCacheSeconds = section.GetInteger("ResolverCacheSeconds", config.resolverCacheSeconds, 1, 86400);
    config.maxShareStudies = section.GetInteger("MaxStudiesPerShare", config.maxShareStudies, 1, 1000);

    config.sessionLifetime = section.GetInteger("SessionLifetime", config.sessionLifetime, 60, 7 * 24 * 3600);
    config.maxFailedAttempts = section.GetInteger("MaxFailedAttempts", config.maxFailedAttempts, 1, 1000);
    config.lockoutSeconds = section.GetInteger("LockoutSeconds", config.lockoutSeconds, 1, 30 * 24 * 3600);
    config.codeAttemptsPerClientPerMinute =
      section.GetInteger("CodeAttemptsPerClientPerMinute", config.codeAttemptsPerClientPerMinute, 1, 100000);
    config.codeAttemptsPerMinute =
      section.GetInteger("CodeAttemptsPerMinute", config.codeAttemptsPerMinute, 1, 1000000);
    config.emailCodeValiditySeconds =
      section.GetInteger("EmailCodeValiditySeconds", config.emailCodeValiditySeconds, 1, 24 * 3600);
    config.emailCodesPerHour = section.GetInteger("EmailCodesPerHour", config.emailCodesPerHour, 1, 100);

    config.staffSessionIdleSeconds =
      section.GetInteger("StaffSessionIdleSeconds", config.staffSessionIdleSeconds, 60, 7 * 24 * 3600);
    config.staffFailuresPerClientPerMinute =
      section.GetInteger("StaffFailuresPerClientPerMinute", config.staffFailuresPerClientPerMinute, 1, 100000);
    config.staffFailuresPerUserPerMinute =
      section.GetInteger("StaffFailuresPerUserPerMinute", config.staffFailuresPerUserPerMinute, 1, 100000);
    ParseStaff(section, orthanc, config);
    ParseSmtp(section, config);
    ParseEmail(section, config);
    ParseAnonymization(section, config);
    ParseLetter(section, config);
    if (section.Has("Ohif"))
    {
      Section ohif(section.Get("Ohif"), "StudyShare.Ohif");
      config.ohifFolder = ohif.GetString("Folder", "");
      config.ohifRoot = TrimTrailingSlashes(ohif.GetString("Root", config.ohifRoot));
      ohif.RejectUnknownKeys();
      config.grammar.ohifRoot = config.ohifRoot;
      if (!config.ohifFolder.empty() && !std::ifstream(config.ohifFolder + "/index.html"))
      {
        throw ConfigurationError("configuration: 'StudyShare.Ohif.Folder' holds no OHIF build (no index.html in " +
                                 config.ohifFolder + "); run scripts/install-ohif.sh or remove the key");
      }
      if (config.ohifRoot.empty() || config.ohifRoot[0] != '/')
      {
        throw ConfigurationError("configuration: 'StudyShare.Ohif.Root' must be a path such as /ohif");
      }
      // Everything under the root is public to the gate: it must not cover another route.
      if (const auto overlap = FindRouteOverlap(config.ohifRoot, config.grammar))
      {
        throw ConfigurationError("configuration: 'StudyShare.Ohif.Root' (" + config.ohifRoot +
                                 ") overlaps the route family " + *overlap +
                                 "; choose a folder of its own such as /ohif");
      }
    }
    section.RejectUnknownKeys();
    return config;
  }

  PublicRoots StudyShareConfig::OwnPublicRoots() const
  {
    PublicRoots roots;
    roots.orthancRoot = publicUrl + "/";
    roots.ownLandingUrl = publicUrl + "/share/";
    if (!ohifFolder.empty())
    {
      roots.ohifRoot = publicUrl + ohifRoot + "/";
      roots.ohifDataSource = "dicom-web";
    }
    return roots;
  }

  KeyRing StudyShareConfig::BuildKeyRing() const
  {
    KeyRing ring;
    try
    {
      if (!generatedSecretPath.empty())
      {
        ring.AddHmacKey("default", LoadOrCreateSecretFile(generatedSecretPath));
        ring.SetSigningKey("default");
        return ring;
      }
      for (const KeySpec& key : keys)
      {
        if (key.algorithm == TokenAlgorithm::HS256)
        {
          ring.AddHmacKey(key.kid, key.material);
        }
        else
        {
          ring.AddEd25519Key(key.kid, key.material);
        }
      }
      ring.SetSigningKey(signingKid);
    }
    catch (const std::invalid_argument& e)
    {
      throw ConfigurationError(std::string("configuration: ") + e.what());
    }
    return ring;
  }

  StaffSignInLimits StudyShareConfig::StaffLimits() const
  {
    StaffSignInLimits limits;
    limits.failuresPerClient = static_cast<size_t>(staffFailuresPerClientPerMinute);
    limits.failuresPerUser = static_cast<size_t>(staffFailuresPerUserPerMinute);
    return limits;
  }

  std::string StudyShareConfig::ApiKeyDigestKey() const
  {
    // Every node of one store shares its first key; the key's own bytes
    // never reach the database, only this derivation's HMACs of API keys.
    const std::string material = !generatedSecretPath.empty() ? LoadOrCreateSecretFile(generatedSecretPath)
                                 : keys.empty()               ? std::string()
                                                              : keys.front().material;
    return crypto::HmacSha256(material, "studyshare staff API key digest v1");
  }

  void StudyShareConfig::FillStaffDirectory(StaffDirectory& directory) const
  {
    directory.SetSignInLimits(StaffLimits());
    try
    {
      for (const StaffAccountSpec& account : staff)
      {
        if (account.hashed)
        {
          directory.AddHashedUser(account.name, account.secret, account.role);
        }
        else
        {
          directory.AddPlainUser(account.name, account.secret, account.role);
        }
        if (!account.labels.empty())
        {
          directory.SetLabels(account.name, account.labels);
        }
      }
    }
    catch (const std::invalid_argument& e)
    {
      throw ConfigurationError(std::string("configuration: ") + e.what());
    }
  }
}
