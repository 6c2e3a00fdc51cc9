// SPDX-License-Identifier: GPL-3.0-or-later
// studyshare: the command-line tool. Parses the arguments (CLI11) and hands
// over to Commands.cpp. Exit codes: 0 success, 1 server or network error,
// 2 usage error.
#include "ApiClient.h"
#include "ApiKeyCommands.h"
#include "BackupCommand.h"
#include "Commands.h"
#include "InboxCommands.h"
#include "MigrateStoreCommand.h"

#include <CLI/CLI.hpp>

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <set>
#include <string>
#include <vector>

using namespace studyshare::cli;

namespace
{
  // Share IDs are base64url and may begin with '-': after show/revoke/audit,
  // an argument that begins with '-' but is no option is taken as the ID.
  std::vector<std::string> ProtectDashIds(int argc, char** argv)
  {
    static const std::set<std::string> idCommands = {"show", "revoke", "audit"};
    static const std::set<std::string> options = {"-h", "--help", "--json", "--url", "--user", "--password", "--"};
    static const std::set<std::string> valued = {"--url", "--user", "--password"};
    std::vector<std::string> args(argv + 1, argv + argc);
    for (size_t i = 0; i < args.size(); ++i)
    {
      if (idCommands.count(args[i]) == 0)
      {
        continue;
      }
      for (size_t j = i + 1; j < args.size(); ++j)
      {
        const std::string& arg = args[j];
        const std::string name = arg.substr(0, arg.find('='));
        if (arg.size() > 1 && arg[0] == '-' && options.count(name) == 0)
        {
          args.insert(args.begin() + static_cast<long>(j), "--");
          break;
        }
        if (arg == "--" || arg.empty() || arg[0] != '-')
        {
          break;
        }
        if (arg.find('=') == std::string::npos && valued.count(arg) != 0)
        {
          ++j;  // skip the option's value
        }
      }
      break;
    }
    return args;
  }

  // CLI11 says "A subcommand is required" for a misspelt command; name it.
  void CheckCommandName(const std::vector<std::string>& args, const CLI::App& app)
  {
    for (size_t i = 0; i < args.size(); ++i)
    {
      const std::string& arg = args[i];
      if (arg == "--url" || arg == "--user" || arg == "--password")
      {
        ++i;
      }
      else if (!arg.empty() && arg[0] != '-')
      {
        for (const CLI::App* command : app.get_subcommands({}))
        {
          if (command->get_name() == arg)
          {
            return;
          }
        }
        throw UsageError("unknown command '" + arg + "' (see 'studyshare --help')");
      }
    }
  }

  std::string EnvOr(const char* name, const std::string& fallback)
  {
    const char* value = std::getenv(name);
    return value != nullptr && *value != '\0' ? value : fallback;
  }
}

int main(int argc, char** argv)
{
  CLI::App app{"studyshare: create and manage StudyShare links through the Orthanc REST API", "studyshare"};
  app.require_subcommand(1);
  app.fallthrough();  // global options may also come after the command

  ApiSettings settings;
  settings.url = EnvOr("STUDYSHARE_URL", settings.url);
  settings.user = EnvOr("STUDYSHARE_USER", "");
  settings.password = EnvOr("STUDYSHARE_PASSWORD", "");
  settings.apiKey = EnvOr("STUDYSHARE_API_KEY", "");
  OutputOptions output;
  app.add_option("--url", settings.url, "Orthanc base URL (env STUDYSHARE_URL; default http://127.0.0.1:8042)");
  app.add_option("--user", settings.user, "staff user name (env STUDYSHARE_USER)");
  app.add_option("--password", settings.password, "staff password (env STUDYSHARE_PASSWORD, preferred)");
  app.add_flag("--json", output.json, "print the server's JSON instead of human-readable text");

  CreateOptions create;
  CLI::App* createCmd = app.add_subcommand("create", "share a study (or a label) and print its link and QR code");
  CLI::Option* studyOption = createCmd->add_option("--study", create.study, "Orthanc study ID or StudyInstanceUID");
  createCmd
    ->add_option("--label", create.label, "share the studies carrying this Orthanc label instead (Orthanc >= 1.12)")
    ->excludes(studyOption);
  createCmd->add_option("--days", create.days, "days until the link expires (0: never; default: the server's)")
    ->check(CLI::Range(0LL, 36500LL));
  createCmd->add_flag("--download", create.download, "also allow downloading the study");
  createCmd->add_option("--password", create.password, "password the recipient must give");
  createCmd->add_flag("--code", create.accessCode, "generate an access code for the recipient");
  createCmd->add_option("--max-uses", create.maxUses, "number of times the link may be opened")
    ->check(CLI::Range(1LL, 1000000LL));
  createCmd->add_option("--note", create.note, "note kept with the share (for staff)");
  createCmd->add_flag("--birth-date", create.requireBirthDate, "the recipient must give the patient's birth date");
  createCmd->add_option("--letter", create.letter.file, "also write the recipient's access letter to this PDF file");
  createCmd->add_option("--paper", create.letter.paper, "the letter's paper: a4 (default) or letter");
  createCmd->add_flag("--anonymize", create.anonymize, "share a de-identified copy of the study, never the original");
  createCmd->add_flag("--allow-burned-in-annotation", create.allowBurnedInAnnotation,
                      "with --anonymize: share even if the images may carry text in their pixels (not removed)");

  InboxOptions inbox;
  CLI::App* inboxCmd = app.add_subcommand("inbox", "upload links that receive studies from outside");
  inboxCmd->require_subcommand(1);
  CLI::App* inboxCreateCmd = inboxCmd->add_subcommand("create", "create an upload link and print it and its QR code");
  inboxCreateCmd->add_option("--days", inbox.days, "days until the link expires (0: never; default: the server's)")
    ->check(CLI::Range(0LL, 36500LL));
  inboxCreateCmd->add_option("--recipient", inbox.recipientName, "who is asked for the images (kept for staff)");
  inboxCreateCmd->add_option("--email", inbox.recipientEmail, "the uploader's e-mail address (kept for staff)");
  inboxCreateCmd->add_option("--note", inbox.note, "note kept with the inbox (for staff)");
  inboxCreateCmd->add_option("--password", inbox.password, "password the uploader must give");
  inboxCreateCmd->add_flag("--code", inbox.accessCode, "generate an access code for the uploader");
  inboxCreateCmd->add_option("--max-uses", inbox.maxUses, "number of times the link may be opened")
    ->check(CLI::Range(1LL, 1000000LL));
  inboxCreateCmd->add_option("--max-upload-bytes", inbox.maxUploadBytes, "bytes accepted in all (e.g. 4G)");
  inboxCreateCmd->add_option("--max-file-bytes", inbox.maxFileBytes, "bytes accepted in one file (e.g. 512M)");
  inboxCreateCmd->add_option("--max-files", inbox.maxFiles, "instances accepted in all")
    ->check(CLI::Range(1LL, 1000000LL));

  ListOptions list;
  CLI::App* listCmd = app.add_subcommand("list", "list shares (a sharer sees its own)");
  listCmd->add_flag("--active", list.activeOnly, "only shares that still work");
  listCmd->add_option("--study", list.study, "only shares of this study (Orthanc ID or StudyInstanceUID)");

  std::string shareId;
  CLI::App* showCmd = app.add_subcommand("show", "show a share, its link and QR code");
  showCmd->add_option("ID", shareId, "share ID")->required();
  CLI::App* revokeCmd = app.add_subcommand("revoke", "revoke a share: its link stops working at once");
  revokeCmd->add_option("ID", shareId, "share ID")->required();
  CLI::App* auditCmd = app.add_subcommand("audit", "show the audit trail of a share");
  auditCmd->add_option("ID", shareId, "share ID")->required();

  CLI::App* hashCmd = app.add_subcommand(
    "hash-password",
    "print the Argon2id hash of a password (asked without echo on a terminal, else read on standard input)");
  bool eddsa = false;
  CLI::App* keyCmd = app.add_subcommand("gen-key", "print a new HS256 secret (or an Ed25519 private key in PEM)");
  keyCmd->add_flag("--eddsa", eddsa, "generate an Ed25519 private key");

  ApiKeyOptions apiKey;
  std::string apiKeyId;
  CLI::App* apiKeyCmd = app.add_subcommand("api-key", "staff API keys for integrations (admins only)");
  apiKeyCmd->require_subcommand(1);
  CLI::App* apiKeyCreateCmd = apiKeyCmd->add_subcommand("create", "create a key and print it (shown only once)");
  apiKeyCreateCmd->add_option("--name", apiKey.name, "what the key is for (letters, digits, . - _)")->required();
  apiKeyCreateCmd->add_option("--role", apiKey.role, "sharer (default) or admin")
    ->check(CLI::IsMember({"sharer", "admin"}));
  apiKeyCreateCmd->add_option("--days", apiKey.days, "days until the key expires (default: never)")
    ->check(CLI::Range(1LL, 3650LL));
  CLI::App* apiKeyListCmd = apiKeyCmd->add_subcommand("list", "list keys: name, role, created, last used, expiry");
  CLI::App* apiKeyRevokeCmd = apiKeyCmd->add_subcommand("revoke", "revoke a key: it stops working at once");
  apiKeyRevokeCmd->add_option("ID", apiKeyId, "API key ID")->required();

  std::string migrateFrom;
  std::string migrateTo;
  CLI::App* migrateCmd =
    app.add_subcommand("migrate-store", "copy shares and audit from one store to another (never overwrites)");
  migrateCmd->add_option("--from", migrateFrom, "sqlite:PATH")->required();
  migrateCmd->add_option("--to", migrateTo, "postgresql:CONNECTION (libpq string or URI)")->required();

  std::string backupStore;
  std::string backupTo;
  bool backupForce = false;
  CLI::App* backupCmd = app.add_subcommand(
    "backup", "copy a live SQLite store consistently (SQLite's online backup), even while Orthanc runs");
  backupCmd->add_option("--store", backupStore, "the store (StudyShare.Store.Path, e.g. .../studyshare.db)")
    ->required();
  backupCmd->add_option("--to", backupTo, "the backup file to write (never overwritten without --force)")->required();
  backupCmd->add_flag("--force", backupForce, "replace FILE if it exists");

  try
  {
    std::vector<std::string> args = ProtectDashIds(argc, argv);
    CheckCommandName(args, app);
    std::reverse(args.begin(), args.end());  // CLI11 takes a reversed vector
    app.parse(args);
  }
  catch (const CLI::CallForHelp& e)
  {
    return app.exit(e);
  }
  catch (const UsageError& e)
  {
    std::cerr << "studyshare: " << e.what() << "\n";
    return 2;
  }
  catch (const CLI::ParseError& e)
  {
    std::cerr << "studyshare: " << e.what() << "\n"
              << "Run 'studyshare --help' for usage.\n";
    return 2;
  }

  output.ansiColors = !output.json && isatty(STDOUT_FILENO) && std::getenv("NO_COLOR") == nullptr;
  try
  {
    if (*hashCmd)
    {
      return HashPassword();
    }
    if (*keyCmd)
    {
      return GenerateKey(eddsa);
    }
    if (*backupCmd)
    {
      return BackupCommand(backupStore, backupTo, backupForce);
    }
    if (*migrateCmd)
    {
      return MigrateStoreCommand(migrateFrom, migrateTo);
    }
    if (settings.url.rfind("http://", 0) != 0 && settings.url.rfind("https://", 0) != 0)
    {
      throw UsageError("--url must begin with http:// or https://");
    }
    const ApiClient api(settings);
    if (*createCmd)
    {
      return CreateShare(api, create, output);
    }
    if (*inboxCreateCmd)
    {
      return CreateInbox(api, inbox, output);
    }
    if (*listCmd)
    {
      return ListShares(api, list, output);
    }
    if (*showCmd)
    {
      return ShowShare(api, shareId, output);
    }
    if (*revokeCmd)
    {
      return RevokeShare(api, shareId, output);
    }
    if (*auditCmd)
    {
      return AuditShare(api, shareId, output);
    }
    if (*apiKeyCreateCmd)
    {
      return CreateApiKey(api, apiKey, output);
    }
    if (*apiKeyListCmd)
    {
      return ListApiKeys(api, output);
    }
    if (*apiKeyRevokeCmd)
    {
      return RevokeApiKey(api, apiKeyId, output);
    }
    throw UsageError("no command");
  }
  catch (const UsageError& e)
  {
    std::cerr << "studyshare: " << e.what() << "\n";
    return 2;
  }
  catch (const std::exception& e)
  {
    std::cerr << "studyshare: " << e.what() << "\n";
    return 1;
  }
}
