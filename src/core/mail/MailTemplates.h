// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace studyshare
{
  // The e-mails StudyShare sends: the link itself, and (when secrets travel
  // separately) the access code on its own.
  enum class MailKind
  {
    Link,
    AccessCode
  };

  const char* ToString(MailKind kind);  // "link", "code": the template file prefix

  struct MailTemplate
  {
    std::string subject;
    std::string text;
    std::string html;
  };

  using MailValues = std::map<std::string, std::string>;

  // Subject, text and HTML templates per language (en, fr, de, es: the
  // recipients' pages languages). Placeholders are {{Name}}; a section
  // {{#Name}}...{{/Name}} is kept only when Name is not empty, and
  // {{^Name}}...{{/Name}} only when it is. Values are HTML-escaped in the HTML
  // body; in the subject, line breaks in values become spaces.
  //
  // Names: Link, CodePageUrl, AccessCode, Password, ExpirationDate, Note,
  // SenderName, RecipientName, AccessCodeSeparately, PasswordSeparately,
  // BirthDateRequired.
  class MailTemplates
  {
  public:
    static const std::vector<std::string>& Languages();
    static const std::vector<std::string>& PlaceholderNames();

    // "fr", "FR", "fr-CA", "fr_FR" -> "fr"; nullopt when not supported.
    static std::optional<std::string> NormalizeLanguage(std::string_view language);

    static MailTemplates BuiltIn();

    // The built-in templates, overridden by the files found in `folder`:
    // {link|code}.{lang}.subject.txt, {link|code}.{lang}.txt, {link|code}.{lang}.html.
    // Throws std::invalid_argument naming the file on an unreadable or
    // malformed template (unknown placeholder, unbalanced section).
    static MailTemplates Load(const std::string& folder);

    const MailTemplate& Get(MailKind kind, const std::string& language) const;
    void Set(MailKind kind, const std::string& language, const MailTemplate& value);  // validates

    MailTemplate Render(MailKind kind, const std::string& language, const MailValues& values) const;

    enum class Escaping
    {
      None,
      Html,
      HeaderLine
    };
    // Throws std::invalid_argument on an unknown placeholder or unbalanced section.
    static std::string Expand(std::string_view text, const MailValues& values, Escaping escaping);
    static void Validate(std::string_view text);

  private:
    std::map<std::string, MailTemplate> templates_;  // key: "link.fr"
  };

  std::string HtmlEscape(std::string_view text);

  // A date for people, in the language: "31 January 2026, 18:00 (UTC+01:00)", or with
  // a zone name "31 January 2026, 18:00 (Europe/Paris, UTC+01:00)".
  // utcOffsetSeconds: the zone's offset at that date.
  std::string FormatMailDate(int64_t secondsSinceEpoch, const std::string& language, int64_t utcOffsetSeconds,
                             const std::string& zoneName = "");

  // A day for people, in the language: "31 January 2026" ("31 janvier 2026",
  // "31. Januar 2026", "31 de enero de 2026"), from a DICOM date (YYYYMMDD);
  // anything else is returned as it is.
  std::string FormatMailDay(const std::string& dicomDate, const std::string& language);
}
