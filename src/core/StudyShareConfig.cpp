// SPDX-License-Identifier: GPL-3.0-or-later
#include "StudyShareConfig.h"

#include "Crypto.h"
#include "MailMessage.h"
#include "MailTemplates.h"
#include "TextUtilities.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <set>
#include <sstream>

namespace studyshare
{
  namespace
  {
    using Json = nlohmann::json;

    // Reads one section, remembering which keys were used so leftovers can be
    // reported as unknown.
    class Section
    {
    public:
      Section(const Json& value, std::string path) : value_(value), path_(std::move(path))
      {
        if (!value_.is_object())
        {
          throw ConfigurationError("configuration: '" + path_ + "' must be a JSON object");
        }
      }

      bool Has(const std::string& key)
      {
        known_.insert(key);
        return value_.contains(key) && !value_.at(key).is_null();
      }

      std::string Name(const std::string& key) const { return path_ + "." + key; }

      std::string GetString(const std::string& key, const std::string& fallback)
      {
        if (!Has(key))
        {
          return fallback;
        }
        const Json& item = value_.at(key);
        if (!item.is_string())
        {
          throw ConfigurationError("configuration: '" + Name(key) + "' must be a string");
        }
        return item.get<std::string>();
      }

      int64_t GetInteger(const std::string& key, int64_t fallback, int64_t minimum, int64_t maximum)
      {
        if (!Has(key))
        {
          return fallback;
        }
        const Json& item = value_.at(key);
        if (!item.is_number_integer())
        {
          throw ConfigurationError("configuration: '" + Name(key) + "' must be an integer");
        }
        const int64_t number = item.get<int64_t>();
        if (number < minimum || number > maximum)
        {
          throw ConfigurationError("configuration: '" + Name(key) + "' must be between " + std::to_string(minimum) +
                                   " and " + std::to_string(maximum));
        }
        return number;
      }

      bool GetBool(const std::string& key, bool fallback)
      {
        if (!Has(key))
        {
          return fallback;
        }
        const Json& item = value_.at(key);
        if (!item.is_boolean())
        {
          throw ConfigurationError("configuration: '" + Name(key) + "' must be true or false");
        }
        return item.get<bool>();
      }

      const Json& Get(const std::string& key)
      {
        known_.insert(key);
        return value_.at(key);
      }

      void RejectUnknownKeys() const
      {
        for (auto it = value_.begin(); it != value_.end(); ++it)
        {
          if (!known_.count(it.key()))
          {
            throw ConfigurationError("configuration: unknown key '" + Name(it.key()) + "'");
          }
        }
      }

    private:
      const Json& value_;
      std::string path_;
      std::set<std::string> known_;
    };

    // Keys of Orthanc's own sections that StudyShare reads (without owning them).
    std::string ReadOrthancString(const Json& object, const char* key, const std::string& fallback,
                                  const std::string& prefix)
    {
      if (!object.contains(key) || object[key].is_null())
      {
        return fallback;
      }
      if (!object[key].is_string())
      {
        throw ConfigurationError("configuration: '" + prefix + key + "' must be a string");
      }
      return object[key].get<std::string>();
    }

    // The path part of PublicUrl ("https://host/orthanc" → "/orthanc"): pages
    // and the OHIF build anchor their URLs there, so they hold behind a proxy
    // that serves Orthanc under a sub-path.
    std::string PublicPathOf(const std::string& publicUrl)
    {
      const size_t scheme = publicUrl.find("://");
      const size_t pathStart = scheme == std::string::npos ? std::string::npos : publicUrl.find('/', scheme + 3);
      std::string path = pathStart == std::string::npos ? "" : publicUrl.substr(pathStart);
      const size_t query = path.find_first_of("?#");
      if (query != std::string::npos)
      {
        path.resize(query);
      }
      while (!path.empty() && path.back() == '/')
      {
        path.pop_back();
      }
      return path;
    }

    std::string TrimTrailingSlashes(std::string url)
    {
      while (!url.empty() && url.back() == '/')
      {
        url.pop_back();
      }
      return url;
    }

    void ParseKeys(Section& section, StudyShareConfig& config)
    {
      if (section.Has("Secret") && section.Has("SecretFile"))
      {
        throw ConfigurationError("configuration: set either 'StudyShare.Secret' or 'StudyShare.SecretFile', not both");
      }
      if (section.Has("Secret"))
      {
        config.keys.push_back({"default", TokenAlgorithm::HS256, section.GetString("Secret", "")});
      }
      else if (section.Has("SecretFile"))
      {
        std::string secret = ReadConfiguredFile(section.GetString("SecretFile", ""), section.Name("SecretFile"));
        config.keys.push_back({"default", TokenAlgorithm::HS256, Trim(secret)});
      }
      if (section.Has("Keys"))
      {
        const Json& keys = section.Get("Keys");
        if (!keys.is_array())
        {
          throw ConfigurationError("configuration: 'StudyShare.Keys' must be an array");
        }
        for (size_t i = 0; i < keys.size(); i++)
        {
          Section key(keys[i], "StudyShare.Keys[" + std::to_string(i) + "]");
          KeySpec spec;
          spec.kid = key.GetString("Kid", "");
          const std::string algorithm = key.GetString("Algorithm", "");
          const auto parsed = ParseTokenAlgorithm(algorithm);
          if (!parsed)
          {
            throw ConfigurationError("configuration: '" + key.Name("Algorithm") + "' must be HS256 or EdDSA");
          }
          spec.algorithm = *parsed;
          if (spec.algorithm == TokenAlgorithm::HS256)
          {
            spec.material = key.Has("SecretFile")
                              ? Trim(ReadConfiguredFile(key.GetString("SecretFile", ""), key.Name("SecretFile")))
                              : key.GetString("Secret", "");
          }
          else
          {
            const std::string fileKey = key.Has("PrivateKeyFile") ? "PrivateKeyFile" : "PublicKeyFile";
            spec.material = ReadConfiguredFile(key.GetString(fileKey, ""), key.Name(fileKey));
          }
          key.RejectUnknownKeys();
          config.keys.push_back(spec);
        }
      }
      config.signingKid = section.GetString("SigningKey", config.keys.empty() ? "" : config.keys.front().kid);
    }

    void ParseStore(Section& section, StudyShareConfig& config, const std::string& storageDirectory)
    {
      config.storePath = storageDirectory + "/studyshare.db";
      if (!section.Has("Store"))
      {
        return;
      }
      Section store(section.Get("Store"), "StudyShare.Store");
      config.storeType = ToLowerAscii(store.GetString("Type", "sqlite"));
      config.storePath = store.GetString("Path", config.storePath);
      config.storeConnection = store.GetString("Connection", "");
      store.RejectUnknownKeys();
      if (config.storeType == "postgresql")
      {
        throw ConfigurationError(
          "configuration: 'StudyShare.Store.Type' postgresql is not available in this build yet; use sqlite");
      }
      if (config.storeType != "sqlite")
      {
        throw ConfigurationError("configuration: 'StudyShare.Store.Type' must be sqlite or postgresql");
      }
    }

    void ParseMode(Section& section, StudyShareConfig& config)
    {
      config.mode = section.GetString("Mode", config.mode);
      if (config.mode != "local" && config.mode != "remote")
      {
        throw ConfigurationError("configuration: 'StudyShare.Mode' must be local or remote");
      }
      RemoteSettings& remote = config.remote;
      remote.url = TrimTrailingSlashes(section.GetString("WebService", ""));
      remote.username = section.GetString("WebServiceUsername", "");
      remote.password = section.GetString("WebServicePassword", "");
      remote.identifier = section.GetString("WebServiceIdentifier", "");
      remote.timeoutMilliseconds = section.GetInteger("WebServiceTimeout", remote.timeoutMilliseconds, 10, 60000);
      remote.cacheSeconds = section.GetInteger("WebServiceCacheSeconds", remote.cacheSeconds, 0, 3600);
      if (config.mode == "remote")
      {
        if (!StartsWith(remote.url, "http://") && !StartsWith(remote.url, "https://"))
        {
          throw ConfigurationError(
            "configuration: 'StudyShare.Mode' remote needs 'StudyShare.WebService', the token service's http(s) URL");
        }
        if (remote.username.empty() != remote.password.empty())
        {
          throw ConfigurationError(
            "configuration: set both 'StudyShare.WebServiceUsername' and 'WebServicePassword', or neither");
        }
      }
    }

    void ParseStaff(Section& section, const Json& orthanc, StudyShareConfig& config)
    {
      if (orthanc.contains("RegisteredUsers") && orthanc["RegisteredUsers"].is_object())
      {
        for (auto it = orthanc["RegisteredUsers"].begin(); it != orthanc["RegisteredUsers"].end(); ++it)
        {
          if (!it.value().is_string())
          {
            throw ConfigurationError("configuration: 'RegisteredUsers." + it.key() + "' must be a string");
          }
          config.staff.push_back({it.key(), it.value().get<std::string>(), false, StaffRole::Admin});
        }
      }
      if (!section.Has("Users"))
      {
        return;
      }
      const Json& users = section.Get("Users");
      if (!users.is_object())
      {
        throw ConfigurationError("configuration: 'StudyShare.Users' must be an object");
      }
      for (auto it = users.begin(); it != users.end(); ++it)
      {
        Section user(it.value(), "StudyShare.Users." + it.key());
        StaffAccountSpec spec;
        spec.name = it.key();
        spec.secret = user.GetString("PasswordHash", "");
        spec.hashed = true;
        const std::string role = user.GetString("Role", "sharer");
        const auto parsedRole = ParseStaffRole(role);
        if (!parsedRole)
        {
          throw ConfigurationError("configuration: '" + user.Name("Role") + "' must be admin or sharer");
        }
        spec.role = *parsedRole;
        user.RejectUnknownKeys();
        config.staff.push_back(spec);
      }
    }
  }

  namespace
  {
    void ParseSmtp(Section& section, StudyShareConfig& config)
    {
      if (!section.Has("Smtp"))
      {
        return;
      }
      Section smtp(section.Get("Smtp"), "StudyShare.Smtp");
      SmtpSettings& settings = config.smtp;
      settings.url = smtp.GetString("Url", "");
      const std::string lowered = ToLowerAscii(settings.url);
      if (!StartsWith(lowered, "smtp://") && !StartsWith(lowered, "smtps://"))
      {
        throw ConfigurationError("configuration: '" + smtp.Name("Url") +
                                 "' must be given and start with smtp:// or smtps://");
      }
      const std::string authority = settings.url.substr(settings.url.find("://") + 3);
      if (authority.empty() || authority[0] == '/' || authority[0] == ':')
      {
        throw ConfigurationError("configuration: '" + smtp.Name("Url") + "' names no host");
      }
      if (authority.find('@') != std::string::npos || settings.url.find_first_of(" \r\n\t") != std::string::npos)
      {
        throw ConfigurationError("configuration: '" + smtp.Name("Url") +
                                 "' must not hold credentials or spaces; use Username and Password");
      }
      const std::string from = smtp.GetString("From", "");
      const std::optional<Mailbox> mailbox = ParseMailbox(from);
      if (!mailbox)
      {
        throw ConfigurationError("configuration: '" + smtp.Name("From") +
                                 "' must be an address such as \"StudyShare <noreply@example.org>\"");
      }
      settings.fromAddress = mailbox->address;
      settings.fromName = mailbox->name;
      settings.username = smtp.GetString("Username", "");
      settings.password = smtp.GetString("Password", "");
      if (settings.username.empty() != settings.password.empty())
      {
        throw ConfigurationError("configuration: '" + smtp.Name("Username") + "' and '" + smtp.Name("Password") +
                                 "' go together");
      }
      const std::string startTls = ToLowerAscii(smtp.GetString("StartTls", "try"));
      if (startTls == "try")
      {
        settings.startTls = StartTlsPolicy::Try;
      }
      else if (startTls == "required")
      {
        settings.startTls = StartTlsPolicy::Required;
      }
      else if (startTls == "none")
      {
        settings.startTls = StartTlsPolicy::None;
      }
      else
      {
        throw ConfigurationError("configuration: '" + smtp.Name("StartTls") + "' must be try, required or none");
      }
      settings.timeoutSeconds = smtp.GetInteger("TimeoutSeconds", settings.timeoutSeconds, 1, 300);
      smtp.RejectUnknownKeys();
    }

    void ParseEmail(Section& section, StudyShareConfig& config)
    {
      if (!section.Has("Email"))
      {
        return;
      }
      Section email(section.Get("Email"), "StudyShare.Email");
      EmailSettings& settings = config.email;
      settings.templatesFolder = email.GetString("TemplatesFolder", "");
      settings.sendSecretsSeparately = email.GetBool("SendSecretsSeparately", settings.sendSecretsSeparately);
      const std::string language = email.GetString("DefaultLanguage", settings.defaultLanguage);
      const std::optional<std::string> normalized = MailTemplates::NormalizeLanguage(language);
      if (!normalized)
      {
        throw ConfigurationError("configuration: '" + email.Name("DefaultLanguage") + "' must be en, fr, de or es");
      }
      settings.defaultLanguage = *normalized;
      email.RejectUnknownKeys();
      if (!settings.templatesFolder.empty())
      {
        struct stat info = {};
        if (::stat(settings.templatesFolder.c_str(), &info) != 0 || !S_ISDIR(info.st_mode))
        {
          throw ConfigurationError("configuration: '" + email.Name("TemplatesFolder") + "' is not a folder: " +
                                   settings.templatesFolder);
        }
        try
        {
          MailTemplates::Load(settings.templatesFolder);
        }
        catch (const std::invalid_argument& e)
        {
          throw ConfigurationError("configuration: '" + email.Name("TemplatesFolder") + "': " + e.what());
        }
      }
    }
  }

  std::string ReadConfiguredFile(const std::string& path, const std::string& key)
  {
    std::ifstream file(path, std::ios::binary);
    if (!file)
    {
      throw ConfigurationError("configuration: cannot read the file named by '" + key + "': " + path);
    }
    std::ostringstream content;
    content << file.rdbuf();
    return content.str();
  }

  std::string LoadOrCreateSecretFile(const std::string& path)
  {
    std::ifstream existing(path, std::ios::binary);
    if (existing)
    {
      std::ostringstream content;
      content << existing.rdbuf();
      return Trim(content.str());
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
    if (orthanc.contains("AuthenticationEnabled") && orthanc["AuthenticationEnabled"] == true)
    {
      throw ConfigurationError(
        "configuration: set 'AuthenticationEnabled' to false; StudyShare is the only gate and "
        "authenticates the RegisteredUsers itself");
    }
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

    config.publicUrl = TrimTrailingSlashes(
      section.GetString("PublicUrl", "http://localhost:" + std::to_string(httpPort)));
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
    config.maxValidityDuration = section.GetInteger("MaxValidityDuration", config.maxValidityDuration, 60, kHundredYears);
    config.allowNeverExpiring = section.GetBool("AllowNeverExpiring", config.allowNeverExpiring);
    config.leewaySeconds = section.GetInteger("LeewaySeconds", config.leewaySeconds, 0, 300);
    config.shareCacheMilliseconds = section.GetInteger("ShareCacheMilliseconds", config.shareCacheMilliseconds, 0, 60000);
    config.resolverCacheSize = section.GetInteger("ResolverCacheSize", config.resolverCacheSize, 0, 10000000);
    config.resolverCacheSeconds = section.GetInteger("ResolverCacheSeconds", config.resolverCacheSeconds, 1, 86400);
    config.maxShareStudies = section.GetInteger("MaxStudiesPerShare", config.maxShareStudies, 1, 1000);

    config.sessionLifetime = section.GetInteger("SessionLifetime", config.sessionLifetime, 60, 7 * 24 * 3600);
    config.maxFailedAttempts = section.GetInteger("MaxFailedAttempts", config.maxFailedAttempts, 1, 1000);
    config.lockoutSeconds = section.GetInteger("LockoutSeconds", config.lockoutSeconds, 1, 30 * 24 * 3600);
    config.codeAttemptsPerClientPerMinute =
      section.GetInteger("CodeAttemptsPerClientPerMinute", config.codeAttemptsPerClientPerMinute, 1, 100000);
    config.codeAttemptsPerMinute = section.GetInteger("CodeAttemptsPerMinute", config.codeAttemptsPerMinute, 1, 1000000);

    config.staffSessionIdleSeconds =
      section.GetInteger("StaffSessionIdleSeconds", config.staffSessionIdleSeconds, 60, 7 * 24 * 3600);
    ParseStaff(section, orthanc, config);
    ParseSmtp(section, config);
    ParseEmail(section, config);
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
      if (config.ohifRoot.empty() || config.ohifRoot[0] != '/' || config.ohifRoot.find("/share") == 0 ||
          config.ohifRoot.find("/studyshare") == 0)
      {
        throw ConfigurationError("configuration: 'StudyShare.Ohif.Root' must be a path such as /ohif");
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

  void StudyShareConfig::FillStaffDirectory(StaffDirectory& directory) const
  {
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
      }
    }
    catch (const std::invalid_argument& e)
    {
      throw ConfigurationError(std::string("configuration: ") + e.what());
    }
  }
}
