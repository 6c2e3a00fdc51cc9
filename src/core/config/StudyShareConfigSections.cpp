// SPDX-License-Identifier: GPL-3.0-or-later
#include "ConfigSection.h"

#include "MailMessage.h"
#include "MailTemplates.h"
#include "MailTimeZone.h"
#include "OrthancLabel.h"

#include <sys/stat.h>
#include <algorithm>

namespace studyshare::config
{
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
    PostgresSettings& postgres = config.postgres;
    postgres.connection = store.GetString("Connection", "");
    if (store.Has("ConnectionFile"))
    {
      if (!postgres.connection.empty())
      {
        throw ConfigurationError("configuration: set 'StudyShare.Store.Connection' or 'ConnectionFile', not both");
      }
      postgres.connection =
        Trim(ReadConfiguredFile(store.GetString("ConnectionFile", ""), store.Name("ConnectionFile")));
    }
    postgres.poolSize = store.GetInteger("PoolSize", postgres.poolSize, 1, 256);
    postgres.connectTimeoutSeconds = store.GetInteger("ConnectTimeoutSeconds", postgres.connectTimeoutSeconds, 1, 60);
    postgres.statementTimeoutMilliseconds =
      store.GetInteger("StatementTimeoutMilliseconds", postgres.statementTimeoutMilliseconds, 50, 60000);
    store.RejectUnknownKeys();
    if (config.storeType == "postgresql" && postgres.connection.empty())
    {
      throw ConfigurationError(
        "configuration: 'StudyShare.Store.Type' postgresql needs 'Connection' (a libpq connection string or URI) "
        "or 'ConnectionFile'");
    }
    if (config.storeType != "sqlite" && config.storeType != "postgresql")
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

  std::vector<std::string> ParseStaffLabels(const Json& value, const std::string& name)
  {
    if (!value.is_array() || value.empty())
    {
      throw ConfigurationError("configuration: '" + name + "' must be a non-empty array of Orthanc labels");
    }
    std::vector<std::string> labels;
    for (const Json& item : value)
    {
      if (!item.is_string() || !IsValidOrthancLabel(item.get<std::string>()))
      {
        throw ConfigurationError("configuration: '" + name + "' holds " + item.dump() +
                                 ", not a label (1 to 64 letters, digits, '_' or '-')");
      }
      if (std::find(labels.begin(), labels.end(), item.get<std::string>()) == labels.end())
      {
        labels.push_back(item.get<std::string>());
      }
    }
    return labels;
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
      if (user.Has("Labels"))
      {
        spec.labels = ParseStaffLabels(user.Get("Labels"), user.Name("Labels"));
        if (spec.role != StaffRole::Sharer)
        {
          throw ConfigurationError("configuration: '" + user.Name("Labels") +
                                   "' limits a sharer; an admin may read everything");
        }
      }
      const std::string staffEmail = Trim(user.GetString("Email", ""));
      if (!staffEmail.empty())
      {
        if (!IsValidMailAddress(staffEmail))
        {
          throw ConfigurationError("configuration: '" + user.Name("Email") +
                                   "' must be one e-mail address such as name@example.org");
        }
        config.staffEmails[spec.name] = staffEmail;
      }
      const std::string displayName = Trim(user.GetString("DisplayName", ""));
      if (!displayName.empty())
      {
        config.displayNames[spec.name] = displayName;
      }
      user.RejectUnknownKeys();
      config.staff.push_back(spec);
    }
  }

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
    settings.senderName = Trim(email.GetString("SenderName", ""));
    settings.timeZone = email.GetString("TimeZone", "");
    if (!settings.timeZone.empty() && !IsKnownTimeZone(settings.timeZone))
    {
      throw ConfigurationError("configuration: '" + email.Name("TimeZone") +
                               "' must be an IANA time zone name such as Europe/Paris (" + settings.timeZone +
                               " is not in the system's time zone database)");
    }
    settings.inboxNotifyAddress = Trim(email.GetString("InboxNotifyAddress", ""));
    if (!settings.inboxNotifyAddress.empty() && !IsValidMailAddress(settings.inboxNotifyAddress))
    {
      throw ConfigurationError("configuration: '" + email.Name("InboxNotifyAddress") +
                               "' must be one e-mail address such as radiology@example.org");
    }
    settings.inboxNotifyIntervalSeconds =
      email.GetInteger("InboxNotifyIntervalSeconds", settings.inboxNotifyIntervalSeconds, 1, 7 * 24 * 3600);
    email.RejectUnknownKeys();
    if (!settings.templatesFolder.empty())
    {
      struct stat info = {};
      if (::stat(settings.templatesFolder.c_str(), &info) != 0 || !S_ISDIR(info.st_mode))
      {
        throw ConfigurationError("configuration: '" + email.Name("TemplatesFolder") +
                                 "' is not a folder: " + settings.templatesFolder);
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

  void ParseTrustedProxies(Section& section, StudyShareConfig& config)
  {
    ForwardedHeader header = ForwardedHeader::XForwardedFor;
    try
    {
      header = ParseForwardedHeaderName(section.GetString("ForwardedHeader", "X-Forwarded-For"));
    }
    catch (const std::invalid_argument& e)
    {
      throw ConfigurationError("configuration: '" + section.Name("ForwardedHeader") + "' " + e.what());
    }
    if (!section.Has("TrustedProxies"))
    {
      return;
    }
    const Json& list = section.Get("TrustedProxies");
    std::vector<std::string> ranges;
    if (list.is_array())
    {
      for (const Json& item : list)
      {
        if (!item.is_string())
        {
          ranges.clear();
          break;
        }
        ranges.push_back(item.get<std::string>());
      }
    }
    if (!list.is_array() || ranges.size() != list.size())
    {
      throw ConfigurationError("configuration: '" + section.Name("TrustedProxies") +
                               "' must be a list of addresses and CIDR ranges, e.g. [\"127.0.0.1\", \"::1\"]");
    }
    try
    {
      config.trustedProxies = TrustedProxies(ranges, header);
    }
    catch (const std::invalid_argument& e)
    {
      throw ConfigurationError("configuration: '" + section.Name("TrustedProxies") + "': " + e.what());
    }
  }
}
