// SPDX-License-Identifier: GPL-3.0-or-later
#include "ServiceSettings.h"

#include "ConfigSection.h"
#include "FileReading.h"

#include "StoreFolder.h"
#include "TextUtilities.h"

#include <arpa/inet.h>

namespace studyshare
{
  namespace
  {
    using Json = nlohmann::json;

    Json ReadConfigurationFile(const std::string& path)
    {
      const auto text = ReadWholeFile(path);
      if (!text)
      {
        throw ConfigurationError("cannot read the configuration file " + path);
      }
      Json json = Json::parse(*text, nullptr, false, /* ignore_comments */ true);
      if (json.is_discarded() || !json.is_object())
      {
        throw ConfigurationError("the configuration file " + path + " is not a JSON object");
      }
      return json;
    }

    void ReadServiceSection(const Json& value, ServiceSettings& settings)
    {
      config::Section section(value, "TokenService");
      settings.options.loopbackOnly = section.GetBool("LoopbackOnly", false) || settings.options.loopbackOnly;
      settings.acceptPythonServiceTokens = section.GetBool("AcceptPythonServiceTokens", false);
      settings.callerFailuresPerClientPerMinute =
        section.GetInteger("CallerFailuresPerClientPerMinute", settings.callerFailuresPerClientPerMinute, 1, 100000);
      if (section.Has("AnswerValidity"))
      {
        const Json& validity = section.Get("AnswerValidity");
        if (!validity.is_number_integer() || validity.get<int64_t>() < 0 || validity.get<int64_t>() > 3600)
        {
          throw ConfigurationError("configuration: 'TokenService.AnswerValidity' must be 0..3600 seconds");
        }
        settings.tokens.answerValiditySeconds = validity.get<int64_t>();
      }
      if (section.Has("Callers"))
      {
        const Json& callers = section.Get("Callers");
        if (!callers.is_object())
        {
          throw ConfigurationError("configuration: 'TokenService.Callers' must be an object of name → {PasswordHash}");
        }
        for (auto it = callers.begin(); it != callers.end(); ++it)
        {
          const Json& account = it.value();
          if (!account.is_object() || !account.contains("PasswordHash") || !account["PasswordHash"].is_string() ||
              account.size() != 1)
          {
            throw ConfigurationError("configuration: '" + section.Name("Callers") + "." + it.key() +
                                     "' must be {\"PasswordHash\": \"<studyshare hash-password output>\"}");
          }
          settings.callers.push_back({it.key(), account["PasswordHash"].get<std::string>(), true});
        }
      }
      section.RejectUnknownKeys();
    }

    void ReadUsers(const std::string& text, ServiceSettings& settings)
    {
      const Json users = Json::parse(text, nullptr, false);
      if (users.is_discarded() || !users.is_object())
      {
        throw ConfigurationError(
          "USERS must be a JSON object of caller name → password, e.g. {\"share-user\": \"...\"}");
      }
      for (auto it = users.begin(); it != users.end(); ++it)
      {
        if (!it.value().is_string() || it.value().get<std::string>().empty() || it.key().empty())
        {
          throw ConfigurationError("USERS: the password of '" + it.key() + "' must be a non-empty string");
        }
        settings.callers.push_back({it.key(), it.value().get<std::string>(), false});
      }
    }

    void ReadRoots(const SettingSource& source, bool ownPublicUrl, ServiceSettings& settings)
    {
      PublicRoots& roots = settings.tokens.roots;
      roots = settings.shared.OwnPublicRoots();
      if (!ownPublicUrl)
      {
        // No StudyShare plugin configured beside us (the Python service's
        // drop-in set-up): only the PUBLIC_* roots say where viewers are.
        roots = PublicRoots();
      }
      if (const auto orthancRoot = source("PUBLIC_ORTHANC_ROOT"))
      {
        roots.orthancRoot = NormalizeRoot(*orthancRoot);
      }
      roots.landingRoot = source("PUBLIC_LANDING_ROOT").value_or("");
      if (const auto ohifRoot = source("PUBLIC_OHIF_ROOT"))
      {
        roots.ohifRoot = NormalizeRoot(*ohifRoot);
        // The Python service's default when OHIF is published elsewhere.
        roots.ohifDataSource = "dicom-json";
      }
      if (const auto dataSource = source("OHIF_DATA_SOURCE"))
      {
        if (*dataSource != "dicom-web" && *dataSource != "dicom-json")
        {
          throw ConfigurationError("OHIF_DATA_SOURCE must be dicom-web or dicom-json");
        }
        roots.ohifDataSource = *dataSource;
      }
      const auto meddreamRoot = source("PUBLIC_MEDDREAM_ROOT");
      const auto meddreamService = source("MEDDREAM_TOKEN_SERVICE_URL");
      if (meddreamRoot.has_value() != meddreamService.has_value())
      {
        throw ConfigurationError("MedDream needs both PUBLIC_MEDDREAM_ROOT and MEDDREAM_TOKEN_SERVICE_URL");
      }
      if (meddreamRoot)
      {
        roots.meddreamRoot = NormalizeRoot(*meddreamRoot);
        settings.meddreamTokenServiceUrl = *meddreamService;
      }
      for (const std::string* url : {&roots.orthancRoot, &roots.landingRoot, &roots.ohifRoot, &roots.meddreamRoot})
      {
        if (!url->empty() && !StartsWith(*url, "http://") && !StartsWith(*url, "https://"))
        {
          throw ConfigurationError("public roots must be http(s) URLs: " + *url);
        }
      }
    }
  }

  SettingSource SecretsThenEnvironment(const std::string& secretsFolder)
  {
    return [secretsFolder](const std::string& name) -> std::optional<std::string>
    {
      if (auto secret = ReadWholeFile(secretsFolder + "/" + name))
      {
        return Trim(*secret);
      }
      const char* value = std::getenv(name.c_str());
      if (value != nullptr && *value != '\0')
      {
        return std::string(value);
      }
      return std::nullopt;
    };
  }

  bool IsLoopbackAddress(const std::string& address)
  {
    in_addr v4{};
    if (inet_pton(AF_INET, address.c_str(), &v4) == 1)
    {
      return (ntohl(v4.s_addr) >> 24) == 127;
    }
    return address == "::1" || address == "localhost";
  }

  bool ServiceSettings::AllowsAnonymousCallers() const
  {
    return options.loopbackOnly && IsLoopbackAddress(options.bind);
  }

  ServiceSettings ServiceSettings::Load(const ServiceOptions& options, const SettingSource& source)
  {
    ServiceSettings settings;
    settings.options = options;
    Json configuration = options.configPath.empty() ? Json::object() : ReadConfigurationFile(options.configPath);
    if (configuration.contains("TokenService"))
    {
      ReadServiceSection(configuration["TokenService"], settings);
    }
    settings.shared = StudyShareConfig::Parse(configuration);
    settings.storeSetting = "StudyShare.Store.Path (or --store)";
    if (!options.storePath.empty())
    {
      settings.shared.storePath = options.storePath;
      settings.storeSetting = "--store";
    }
    else if (options.configPath.empty())
    {
      // The Python service's drop-in set-up has no Orthanc storage folder
      // to follow: keep the store where services keep their state.
      settings.shared.storePath = DefaultStateDirectory(kDefaultStateDirectory) + "/studyshare.db";
      settings.storeSetting = "--store (or STATE_DIRECTORY)";
    }

    if (const auto secret = source("SECRET_KEY"))
    {
      if (!settings.shared.keys.empty())
      {
        throw ConfigurationError("SECRET_KEY and StudyShare.Secret/Keys are both set: keep one source of keys");
      }
      settings.shared.keys.push_back({"default", TokenAlgorithm::HS256, *secret});
      settings.shared.signingKid = "default";
      settings.shared.generatedSecretPath.clear();
    }
    else if (settings.shared.keys.empty() && options.configPath.empty())
    {
      throw ConfigurationError(
        "no signing key: set SECRET_KEY (environment or /run/secrets/SECRET_KEY), or give "
        "--config with the StudyShare section the plugin uses");
    }

    if (const auto users = source("USERS"))
    {
      ReadUsers(*users, settings);
    }
    if (settings.options.loopbackOnly && !IsLoopbackAddress(settings.options.bind))
    {
      throw ConfigurationError("--loopback-only needs a loopback --bind address, not " + settings.options.bind);
    }
    if (settings.callers.empty() && !settings.AllowsAnonymousCallers())
    {
      throw ConfigurationError(
        "no caller credentials: set USERS (e.g. {\"orthanc\": \"a long password\"}) or "
        "TokenService.Callers, or run with --loopback-only on a loopback address");
    }

    if (settings.acceptPythonServiceTokens)
    {
      // The Python service signed with SECRET_KEY: the HS256 key given here.
      for (const KeySpec& key : settings.shared.keys)
      {
        if (key.algorithm == TokenAlgorithm::HS256 && settings.tokens.pythonTokenSecret.empty())
        {
          settings.tokens.pythonTokenSecret = key.material;
        }
      }
      if (settings.tokens.pythonTokenSecret.empty())
      {
        throw ConfigurationError(
          "TokenService.AcceptPythonServiceTokens needs the Python service's SECRET_KEY "
          "(SECRET_KEY, or an HS256 key in StudyShare.Secret/Keys)");
      }
    }

    settings.tokens.audience = settings.shared.audience;
    settings.tokens.maxValidityDuration = settings.shared.maxValidityDuration;
    settings.tokens.allowNeverExpiring = settings.shared.allowNeverExpiring;
    settings.tokens.serverId = source("SERVER_ID").value_or("");
    const bool ownPublicUrl = configuration.contains("StudyShare") && configuration["StudyShare"].is_object() &&
                              configuration["StudyShare"].contains("PublicUrl");
    ReadRoots(source, ownPublicUrl, settings);
    return settings;
  }
}
