// SPDX-License-Identifier: GPL-3.0-or-later
#include "Commands.h"

#include "Crypto.h"
#include "Display.h"
#include "KeyRing.h"
#include "PasswordHasher.h"
#include "PasswordPrompt.h"
#include "QrTerminal.h"

#include <ctime>
#include <iostream>
#include <regex>

namespace studyshare::cli
{
  namespace
  {
    using Json = nlohmann::json;

    int64_t Now()
    {
      return static_cast<int64_t>(std::time(nullptr));
    }

    std::string SharePath(const std::string& id)
    {
      if (id.empty())
      {
        throw UsageError("a share ID is required");
      }
      return "/studyshare/shares/" + ApiClient::Escape(id);
    }

    void PrintJson(const Json& value)
    {
      std::cout << value.dump(2) << "\n";
    }

    // The short link first (what a patient types or a phone reads), the long one still given.
    void PrintLinks(const Json& share)
    {
      const std::string shortUrl = Text(share, "ShortUrl");
      if (!shortUrl.empty())
      {
        std::cout << "Short link:  " << shortUrl << "\n";
      }
      std::cout << "Link:        " << Text(share, "Url") << "\n";
    }

    void PrintLinkAndQr(const std::string& url, const OutputOptions& output)
    {
      std::cout << "\n" << RenderQrCode(url, output.ansiColors);
    }

    std::string YesNo(const Json& share, const char* key)
    {
      return share.contains(key) && share[key].is_boolean() && share[key].get<bool>() ? "yes" : "no";
    }

    std::string Permissions(const Json& share)
    {
      std::string text;
      if (share.contains("Permissions") && share["Permissions"].is_array())
      {
        for (const Json& p : share["Permissions"])
        {
          text += (text.empty() ? "" : ", ") + (p.is_string() ? p.get<std::string>() : p.dump());
        }
      }
      return text.empty() ? "-" : text;
    }

    bool IsInbox(const Json& share)
    {
      return Text(share, "Kind") == "Inbox";
    }

    int64_t Number(const Json& object, const char* key)
    {
      return object.contains(key) && object[key].is_number_integer() ? object[key].get<int64_t>() : 0;
    }

    // An inbox's limits and, per study, what arrived and where staff open it.
    void PrintReceived(const Json& inbox)
    {
      std::cout << "Accepts:     " << ByteSizeText(Number(inbox, "MaxUploadBytes")) << " in all, "
                << ByteSizeText(Number(inbox, "MaxFileBytes")) << " per file, " << Number(inbox, "MaxFiles")
                << " files\n";
      const Json received = inbox.value("Received", Json::object());
      std::cout << "Received:    " << Number(received, "Instances") << " instances, "
                << ByteSizeText(Number(received, "Bytes")) << "\n";
      for (const Json& study : received.value("Studies", Json::array()))
      {
        std::string modalities;
        for (const Json& modality : study.value("Modalities", Json::array()))
        {
          modalities += (modalities.empty() ? "" : "/") + (modality.is_string() ? modality.get<std::string>() : "");
        }
        std::cout << "Study:       " << StudiesSummary(Json::array({study})) << "  " << modalities << ", "
                  << Number(study, "Instances") << " instances, " << ByteSizeText(Number(study, "Bytes")) << "\n"
                  << "             " << Text(study, "OrthancId") << "  " << Text(study, "StudyInstanceUID") << "\n";
      }
    }

    // An Orthanc ID, or (for a StudyInstanceUID) the Orthanc ID it names.
    std::string ToOrthancId(const ApiClient& api, const std::string& study)
    {
      if (StudyIdKind(study) == "OrthancId")
      {
        return study;
      }
      for (const Json& match : api.PostText("/tools/lookup", study))
      {
        if (Text(match, "Type") == "Study")
        {
          return Text(match, "ID");
        }
      }
      throw ApiError("no study with StudyInstanceUID " + study);
    }
  }

  std::string StudyIdKind(const std::string& id)
  {
    static const std::regex orthancId("[0-9a-f]{8}(-[0-9a-f]{8}){4}");
    static const std::regex dicomUid("[0-9]+(\\.[0-9]+)*");
    if (std::regex_match(id, orthancId))
    {
      return "OrthancId";
    }
    if (id.size() <= 64 && std::regex_match(id, dicomUid))
    {
      return "DicomUid";
    }
    throw UsageError("'" + id +
                     "' is neither an Orthanc study ID (xxxxxxxx-xxxxxxxx-xxxxxxxx-xxxxxxxx-xxxxxxxx) "
                     "nor a StudyInstanceUID (digits and dots)");
  }

  void AddLinkFields(const ApiClient& api, const LinkOptions& options, Json& body)
  {
    if (options.days)
    {
      body["ValidityDuration"] = *options.days * 86400;
    }
    else
    {
      // The server's DefaultValidityDuration (the API itself keeps "absent means never").
      const Json me = api.Get("/studyshare/api/me");
      const int64_t seconds = me.value("DefaultValidityDuration", int64_t(0));
      if (seconds > 0)
      {
        body["ValidityDuration"] = seconds;
      }
    }
    if (!options.password.empty())
    {
      body["Password"] = options.password;
    }
    if (options.accessCode)
    {
      body["AccessCode"] = true;
    }
    if (options.maxUses)
    {
      body["MaxUses"] = *options.maxUses;
    }
    if (!options.note.empty())
    {
      body["Note"] = options.note;
    }
  }

  int CreateShare(const ApiClient& api, const CreateOptions& options, const OutputOptions& output)
  {
    const Paper paper = CheckLetterOptions(options.letter);
    if (options.study.empty() == options.label.empty())
    {
      throw UsageError("give either --study or --label");
    }
    const Json resource = options.label.empty() ? Json{{"Level", "Study"}, {StudyIdKind(options.study), options.study}}
                                                : Json{{"Level", "Label"}, {"Label", options.label}};
    Json body = {{"Resources", Json::array({resource})}};
    body["Permissions"] = options.download ? Json::array({"View", "Download"}) : Json::array({"View"});
    AddLinkFields(api, options, body);
    if (options.requireBirthDate)
    {
      body["RequireBirthDate"] = true;
    }
    if (options.anonymize)
    {
      body["Anonymize"] = true;
    }
    if (options.allowBurnedInAnnotation)
    {
      body["AllowBurnedInAnnotation"] = true;
    }

    const Json share = api.Post("/studyshare/shares", body);
    if (!options.letter.file.empty())
    {
      // The share exists from here on: a letter that fails says so, and names the share.
      try
      {
        WriteShareLetter(api, share, options.letter, paper);
      }
      catch (const std::exception& e)
      {
        throw std::runtime_error("share " + Text(share, "ID") +
                                 " was created, but its letter was not written: " + e.what());
      }
    }
    if (output.json)
    {
      PrintJson(share);
      return 0;
    }
    const std::string shared =
      options.label.empty() ? StudiesSummary(share.value("Studies", Json())) : "the studies labelled " + options.label;
    std::cout << "Share " << Text(share, "ID") << " created for " << shared << "\n";
    PrintLinks(share);
    const std::string code = Text(share, "AccessCode");
    if (!code.empty())
    {
      std::cout << "Access code: " << code << "\n"
                << "Typed at:    " << Text(share, "CodePageUrl") << " (or on the page the link opens)\n";
    }
    std::cout << "Expires:     " << ExpiryInWords(share.value("ExpirationDate", Json()), Now()) << "\n";
    if (!options.password.empty())
    {
      std::cout << "Password:    required (give it to the recipient separately)\n";
    }
    if (options.requireBirthDate)
    {
      std::cout << "Birth date:  required\n";
    }
    if (options.anonymize)
    {
      std::cout << "Anonymized:  a de-identified copy is being prepared (see 'studyshare show " << Text(share, "ID")
                << "')\n";
    }
    if (!options.letter.file.empty())
    {
      std::cout << "Letter:      " << options.letter.file << "\n";
    }
    PrintLinkAndQr(Text(share, "ShortUrl", Text(share, "Url")), output);
    return 0;
  }

  int ListShares(const ApiClient& api, const ListOptions& options, const OutputOptions& output)
  {
    std::string query;
    if (options.activeOnly)
    {
      query += "active=true";
    }
    if (!options.study.empty())
    {
      query += std::string(query.empty() ? "" : "&") + "study=" + ApiClient::Escape(ToOrthancId(api, options.study));
    }
    const Json shares = api.Get("/studyshare/shares" + (query.empty() ? "" : "?" + query));
    if (output.json)
    {
      PrintJson(shares);
      return 0;
    }
    if (!shares.is_array() || shares.empty())
    {
      std::cout << "No shares.\n";
      return 0;
    }
    Table table({"ID", "KIND", "STUDY / PATIENT", "CREATED BY", "CREATED", "EXPIRES", "USES", "STATE"}, 48);
    for (const Json& share : shares)
    {
      const Json expiry = share.value("ExpirationDate", Json());
      const bool inbox = IsInbox(share);
      table.Add({Text(share, "ID"), inbox ? "inbox" : "share",
                 inbox ? ReceivedSummary(share) : StudiesSummary(share.value("Studies", Json())),
                 Text(share, "CreatedBy", "-"), LocalTime(share.value("CreatedAt", Json())),
                 expiry.is_string() ? LocalTime(expiry) : "never", UsesText(share), Text(share, "State", "?")});
    }
    table.Print(std::cout);
    return 0;
  }

  int ShowShare(const ApiClient& api, const std::string& id, const OutputOptions& output)
  {
    const Json share = api.Get(SharePath(id));
    if (output.json)
    {
      PrintJson(share);
      return 0;
    }
    std::cout << "ID:          " << Text(share, "ID") << "\n"
              << "Kind:        " << (IsInbox(share) ? "inbox (receives uploads, shows nothing)" : "share") << "\n"
              << "State:       " << Text(share, "State", "?") << "\n";
    if (share.value("LockedUntil", Json()).is_string())
    {
      std::cout << "Locked until " << LocalTime(share["LockedUntil"]) << " (too many wrong answers)\n";
    }
    if (share.value("Label", Json()).is_string())
    {
      std::cout << "Label:       " << Text(share, "Label") << " (the studies carrying it when they are read)\n";
    }
    for (const Json& study : share.value("Studies", Json::array()))
    {
      std::cout << "Study:       " << StudiesSummary(Json::array({study})) << "\n"
                << "             " << Text(study, "OrthancId") << "  " << Text(study, "DicomUid") << "\n";
    }
    if (IsInbox(share))
    {
      PrintReceived(share);
    }
    else
    {
      std::cout << "Permissions: " << Permissions(share) << "\n";
    }
    std::cout << "Created:     " << LocalTime(share.value("CreatedAt", Json())) << " by "
              << Text(share, "CreatedBy", "-") << "\n"
              << "Expires:     " << ExpiryInWords(share.value("ExpirationDate", Json()), Now()) << "\n";
    if (share.value("RevokedAt", Json()).is_string())
    {
      std::cout << "Revoked:     " << LocalTime(share["RevokedAt"]) << "\n";
    }
    std::cout << "Uses:        " << UsesText(share) << "\n"
              << "Password:    " << YesNo(share, "HasPassword") << "\n"
              << "Birth date:  " << YesNo(share, "RequireBirthDate") << "\n"
              << "Access code: " << YesNo(share, "HasAccessCode") << "\n";
    const Json anonymization = share.value("Anonymization", Json());
    if (anonymization.is_object())
    {
      std::cout << "Anonymized:  " << Text(anonymization, "State", "?");
      const std::string error = Text(anonymization, "Error");
      std::cout << (error.empty() ? "" : " (" + error + ")") << "\n";
    }
    const std::string note = Text(share, "Note");
    if (!note.empty())
    {
      std::cout << "Note:        " << note << "\n";
    }
    const std::string url = Text(share, "ShortUrl", Text(share, "Url"));
    if (!url.empty())
    {
      PrintLinks(share);
      PrintLinkAndQr(url, output);
    }
    return 0;
  }

  int RevokeShare(const ApiClient& api, const std::string& id, const OutputOptions& output)
  {
    const Json share = api.Delete(SharePath(id));
    if (output.json)
    {
      PrintJson(share);
      return 0;
    }
    std::cout << (IsInbox(share) ? "Inbox " : "Share ") << Text(share, "ID", id)
              << (IsInbox(share) ? " closed" : " revoked") << " (state: " << Text(share, "State", "revoked") << ")\n";
    return 0;
  }

  int AuditShare(const ApiClient& api, const std::string& id, const OutputOptions& output)
  {
    const Json events = api.Get(SharePath(id) + "/audit");
    if (output.json)
    {
      PrintJson(events);
      return 0;
    }
    if (!events.is_array() || events.empty())
    {
      std::cout << "No audit events.\n";
      return 0;
    }
    Table table({"TIME", "EVENT", "OUTCOME", "ACTOR", "CLIENT", "USER AGENT"});
    for (const Json& event : events)
    {
      table.Add({LocalTime(event.value("Time", Json())), Text(event, "Event"), Text(event, "Outcome"),
                 Text(event, "Actor", "-"), Text(event, "ClientAddress", "-"), Text(event, "UserAgent", "-")});
    }
    table.Print(std::cout);
    return 0;
  }

  int HashPassword()
  {
    // On a terminal: asked twice, never echoed; otherwise one line of stdin.
    const std::string password = ReadPassword();
    std::cout << PasswordHasher::Hash(password) << "\n";
    return 0;
  }

  int GenerateKey(bool eddsa)
  {
    if (eddsa)
    {
      std::cout << KeyRing::GenerateEd25519PrivatePem();
    }
    else
    {
      std::cout << crypto::RandomId(48) << "\n";
    }
    return 0;
  }
}
