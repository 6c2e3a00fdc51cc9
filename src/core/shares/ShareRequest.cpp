// SPDX-License-Identifier: GPL-3.0-or-later
#include "ShareRequest.h"

#include "InboxRequest.h"
#include "IsoTime.h"
#include "MailMessage.h"
#include "MailTemplates.h"
#include "OrthancLabel.h"
#include "ResourceRef.h"
#include "Share.h"
#include "TextUtilities.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <set>

namespace studyshare
{
  namespace
  {
    using Json = nlohmann::json;

    constexpr size_t kMaxBodyBytes = 64 * 1024;
    constexpr size_t kMaxPasswordBytes = 1024;
    constexpr size_t kMaxNoteBytes = 2000;
    const std::set<std::string> kFields = {"Resources",        "ValidityDuration",
                                           "ExpirationDate",   "Permissions",
                                           "MaxUses",          "Password",
                                           "RequireBirthDate", "AccessCode",
                                           "Anonymize",        "Viewer",
                                           "Recipient",        "Note",
                                           "SendEmail",        "AllowBurnedInAnnotation",
                                           "RequireEmailCode", "Kind",
                                           "MaxUploadBytes",   "MaxFileBytes",
                                           "MaxFiles"};
    const std::set<std::string> kViewers = {"builtin", "webviewer", "stone", "ohif", "osimis", "volview", "meddream"};

    // "30 days", "1 day", "1.5 days": staff think of a link's life in days.
    std::string DaysInWords(int64_t seconds)
    {
      constexpr int64_t kDay = 24 * 3600;
      if (seconds % kDay == 0)
      {
        const int64_t days = seconds / kDay;
        return std::to_string(days) + (days == 1 ? " day" : " days");
      }
      char text[32];
      snprintf(text, sizeof(text), "%.1f days", static_cast<double>(seconds) / kDay);
      return text;
    }

    const Json& Require(const Json& body, const char* field, bool (Json::*check)() const, const char* type)
    {
      const Json& value = body.at(field);
      if (!(value.*check)())
      {
        throw BadRequest(std::string("'") + field + "' must be " + type);
      }
      return value;
    }

    bool IsLabelResource(const Json& item)
    {
      return item.is_object() && item.contains("Level") && item["Level"].is_string() &&
             EqualsIgnoreCase(item["Level"].get<std::string>(), "Label");
    }

    std::string ParseLabelResource(const Json& item, size_t index)
    {
      const std::string where = "Resources[" + std::to_string(index) + "]";
      for (auto it = item.begin(); it != item.end(); ++it)
      {
        if (it.key() != "Level" && it.key() != "Label")
        {
          throw BadRequest("unknown field '" + where + "." + it.key() + "' (a label resource has only 'Label')");
        }
      }
      if (!item.contains("Label") || !item["Label"].is_string() ||
          !IsValidOrthancLabel(item["Label"].get<std::string>()))
      {
        throw BadRequest("'" + where + ".Label' must be an Orthanc label: 1 to 64 letters, digits, '_' or '-'");
      }
      return item["Label"].get<std::string>();
    }

    RequestedStudy ParseResource(const Json& item, size_t index)
    {
      const std::string where = "Resources[" + std::to_string(index) + "]";
      if (!item.is_object())
      {
        throw BadRequest("'" + where + "' must be an object");
      }
      for (auto it = item.begin(); it != item.end(); ++it)
      {
        if (it.key() != "Level" && it.key() != "OrthancId" && it.key() != "DicomUid")
        {
          throw BadRequest("unknown field '" + where + "." + it.key() + "'");
        }
      }
      if (!item.contains("Level") || !item["Level"].is_string() ||
          !EqualsIgnoreCase(item["Level"].get<std::string>(), "Study"))
      {
        throw BadRequest("'" + where +
                         ".Level' must be \"Study\" or \"Label\" (only whole studies, or the studies of a label, "
                         "can be shared)");
      }
      RequestedStudy study;
      if (item.contains("OrthancId"))
      {
        if (!item["OrthancId"].is_string() || !IsOrthancId(item["OrthancId"].get<std::string>()))
        {
          throw BadRequest("'" + where + ".OrthancId' is not an Orthanc identifier");
        }
        study.orthancId = item["OrthancId"].get<std::string>();
      }
      if (item.contains("DicomUid"))
      {
        if (!item["DicomUid"].is_string() || !IsDicomUid(item["DicomUid"].get<std::string>()))
        {
          throw BadRequest("'" + where + ".DicomUid' is not a DICOM UID");
        }
        study.dicomUid = item["DicomUid"].get<std::string>();
      }
      if (!study.orthancId && !study.dicomUid)
      {
        throw BadRequest("'" + where + "' needs an OrthancId or a DicomUid");
      }
      return study;
    }

    void ParseExpiry(const Json& body, const ShareRequestLimits& limits, ShareRequest& request)
    {
      const bool hasDuration = body.contains("ValidityDuration") && !body["ValidityDuration"].is_null();
      const bool hasDate = body.contains("ExpirationDate") && !body["ExpirationDate"].is_null();
      if (hasDuration && hasDate)
      {
        throw BadRequest("give either 'ValidityDuration' or 'ExpirationDate', not both");
      }
      if (hasDuration)
      {
        const Json& value = Require(body, "ValidityDuration", &Json::is_number_integer, "an integer number of seconds");
        const int64_t seconds = value.get<int64_t>();
        if (seconds < 0)
        {
          throw BadRequest("'ValidityDuration' must not be negative");
        }
        if (seconds > limits.maxValidityDuration)
        {
          throw BadRequest("'ValidityDuration' exceeds the maximum: a link may last at most " +
                           DaysInWords(limits.maxValidityDuration) + " on this server (" + DaysInWords(seconds) +
                           " asked)");
        }
        if (seconds > 0)
        {
          request.expiresAt = limits.now + seconds;
        }
      }
      else if (hasDate)
      {
        const Json& value = Require(body, "ExpirationDate", &Json::is_string, "an ISO-8601 date with a time zone");
        const auto when = ParseIsoTime(value.get<std::string>());
        if (!when)
        {
          throw BadRequest("'ExpirationDate' must be an ISO-8601 date and time with a zone, e.g. 2026-12-31T18:00:00Z");
        }
        if (*when <= limits.now)
        {
          throw BadRequest("'ExpirationDate' is in the past");
        }
        if (*when - limits.now > limits.maxValidityDuration)
        {
          throw BadRequest("'ExpirationDate' is further away than the maximum: a link may last at most " +
                           DaysInWords(limits.maxValidityDuration) + " on this server");
        }
        request.expiresAt = *when;
      }
      if (!request.expiresAt && !limits.allowNeverExpiring)
      {
        throw BadRequest("this server requires an expiry: give 'ValidityDuration' or 'ExpirationDate'");
      }
    }

    unsigned ParsePermissions(const Json& body)
    {
      if (!body.contains("Permissions"))
      {
        return static_cast<unsigned>(Permission::View);
      }
      const Json& value = Require(body, "Permissions", &Json::is_array, "an array such as [\"View\", \"Download\"]");
      unsigned permissions = 0;
      for (const Json& item : value)
      {
        if (item == "View")
        {
          permissions |= static_cast<unsigned>(Permission::View);
        }
        else if (item == "Download")
        {
          permissions |= static_cast<unsigned>(Permission::Download);
        }
        else
        {
          throw BadRequest("'Permissions' may only hold \"View\" and \"Download\"");
        }
      }
      if ((permissions & static_cast<unsigned>(Permission::View)) == 0)
      {
        throw BadRequest("'Permissions' must include \"View\"");
      }
      return permissions;
    }

    // Recipient is stored as staff sent it; the fields the e-mail uses are checked.
    void ParseRecipient(const Json& recipient, ShareRequest& request)
    {
      if (recipient.contains("Email") && !recipient["Email"].is_null())
      {
        const Json& email = recipient["Email"];
        if (!email.is_string() || !IsValidMailAddress(Trim(email.get<std::string>())))
        {
          throw BadRequest(
            "'Recipient.Email' must be one e-mail address such as name@example.org "
            "(ASCII, at most 254 characters, no name or line break)");
        }
        request.recipientEmail = Trim(email.get<std::string>());
      }
      if (recipient.contains("Name") && !recipient["Name"].is_null())
      {
        const Json& name = recipient["Name"];
        if (!name.is_string() || name.get<std::string>().size() > 200)
        {
          throw BadRequest("'Recipient.Name' must be a string of at most 200 bytes");
        }
        for (unsigned char c : name.get<std::string>())
        {
          if (c < 0x20 || c == 0x7f || c == '<' || c == '>' || c == '"' || c == '\\')
          {
            throw BadRequest("'Recipient.Name' must not hold line breaks, control characters, quotes or <>");
          }
        }
        request.recipientName = Trim(name.get<std::string>());
      }
      if (recipient.contains("Language") && !recipient["Language"].is_null())
      {
        const Json& language = recipient["Language"];
        const auto normalized =
          language.is_string() ? MailTemplates::NormalizeLanguage(language.get<std::string>()) : std::nullopt;
        if (!normalized)
        {
          throw BadRequest("'Recipient.Language' must be one of en, fr, de, es");
        }
        request.recipientLanguage = *normalized;
      }
    }
  }

  ShareRequest ShareRequest::Parse(const std::string& body, const ShareRequestLimits& limits)
  {
    if (body.size() > kMaxBodyBytes)
    {
      throw BadRequest("the request body is larger than 64 KiB");
    }
    const Json json = Json::parse(body, nullptr, false);
    if (json.is_discarded())
    {
      throw BadRequest("the request body is not valid JSON");
    }
    if (!json.is_object())
    {
      throw BadRequest("the request body must be a JSON object");
    }
    for (auto it = json.begin(); it != json.end(); ++it)
    {
      if (!kFields.count(it.key()))
      {
        throw BadRequest("unknown field '" + it.key() + "'");
      }
    }

    ShareRequest request;
    request.kind = ParseShareKind(json, request.inboxLimits);
    if (request.kind == ShareKind::Share && !json.contains("Resources"))
    {
      throw BadRequest("'Resources' is required");
    }
    const Json& resources = request.kind == ShareKind::Inbox
                              ? Json::array()
                              : Require(json, "Resources", &Json::is_array, "an array of studies");
    if (resources.empty() && request.kind == ShareKind::Share)
    {
      throw BadRequest("'Resources' must name at least one study");
    }
    if (resources.size() > limits.maxStudies)
    {
      throw BadRequest("'Resources' names more than " + std::to_string(limits.maxStudies) + " studies");
    }
    for (size_t i = 0; i < resources.size(); i++)
    {
      if (IsLabelResource(resources[i]))
      {
        if (resources.size() != 1)
        {
          throw BadRequest("a share by label names one label and nothing else in 'Resources'");
        }
        request.label = ParseLabelResource(resources[i], i);
      }
      else
      {
        request.studies.push_back(ParseResource(resources[i], i));
      }
    }

    ParseExpiry(json, limits, request);
    request.permissions = request.kind == ShareKind::Inbox ? 0 : ParsePermissions(json);

    if (json.contains("MaxUses") && !json["MaxUses"].is_null())
    {
      const int64_t uses = Require(json, "MaxUses", &Json::is_number_integer, "a positive integer").get<int64_t>();
      if (uses < 1 || uses > 1000000)
      {
        throw BadRequest("'MaxUses' must be between 1 and 1000000");
      }
      request.maxUses = uses;
    }
    if (json.contains("Password") && !json["Password"].is_null())
    {
      request.password = Require(json, "Password", &Json::is_string, "a string").get<std::string>();
      if (request.password.empty() || request.password.size() > kMaxPasswordBytes)
      {
        throw BadRequest("'Password' must hold between 1 and 1024 bytes");
      }
    }
    if (json.contains("RequireBirthDate"))
    {
      request.requireBirthDate = Require(json, "RequireBirthDate", &Json::is_boolean, "true or false").get<bool>();
    }
    if (json.contains("RequireEmailCode"))
    {
      request.requireEmailCode = Require(json, "RequireEmailCode", &Json::is_boolean, "true or false").get<bool>();
    }
    if (json.contains("AccessCode"))
    {
      request.accessCode = Require(json, "AccessCode", &Json::is_boolean, "true or false").get<bool>();
    }
    if (json.contains("Anonymize"))
    {
      request.anonymize = Require(json, "Anonymize", &Json::is_boolean, "true or false").get<bool>();
    }
    if (json.contains("AllowBurnedInAnnotation"))
    {
      request.allowBurnedInAnnotation =
        Require(json, "AllowBurnedInAnnotation", &Json::is_boolean, "true or false").get<bool>();
      if (!request.anonymize)
      {
        throw BadRequest("'AllowBurnedInAnnotation' only applies with \"Anonymize\": true");
      }
    }
    if (request.anonymize && request.requireBirthDate)
    {
      throw BadRequest(
        "'Anonymize' and 'RequireBirthDate' cannot be combined: the birth date is removed from the anonymized copy; "
        "protect the share with a password or an access code instead");
    }
    if (request.label && request.anonymize)
    {
      throw BadRequest(
        "'Anonymize' cannot be combined with a share by label: copies are made once, a label's studies change");
    }
    if (request.label && request.requireBirthDate)
    {
      throw BadRequest(
        "'RequireBirthDate' cannot be combined with a share by label: a label's studies may be of several patients");
    }
    if (json.contains("Viewer"))
    {
      request.viewer = ToLowerAscii(Require(json, "Viewer", &Json::is_string, "a string").get<std::string>());
      if (!kViewers.count(request.viewer))
      {
        throw BadRequest("'Viewer' must be one of builtin, webviewer, stone, ohif, osimis, volview, meddream");
      }
    }
    if (json.contains("Recipient") && !json["Recipient"].is_null())
    {
      request.recipientJson = Require(json, "Recipient", &Json::is_object, "an object").dump();
      ParseRecipient(json["Recipient"], request);
    }
    if (request.requireEmailCode && request.recipientEmail.empty())
    {
      throw BadRequest("'RequireEmailCode' needs 'Recipient.Email': the code is sent there");
    }
    if (json.contains("SendEmail") && !json["SendEmail"].is_null())
    {
      request.sendEmail = Require(json, "SendEmail", &Json::is_boolean, "true or false").get<bool>();
      if (*request.sendEmail && request.recipientEmail.empty())
      {
        throw BadRequest("'SendEmail' needs the recipient's address in 'Recipient.Email'");
      }
    }
    if (json.contains("Note") && !json["Note"].is_null())
    {
      request.note = Require(json, "Note", &Json::is_string, "a string").get<std::string>();
      if (request.note.size() > kMaxNoteBytes)
      {
        throw BadRequest("'Note' is longer than 2000 bytes");
      }
    }
    return request;
  }
}
