// SPDX-License-Identifier: GPL-3.0-or-later
#include "MailTemplates.h"

#include "FileReading.h"
#include "TextUtilities.h"

#include <algorithm>
#include <ctime>
#include <stdexcept>

namespace studyshare
{
  namespace
  {
    // The words of the built-in e-mails, one table per language. The
    // templates themselves (below) are the same for every language, so the
    // four stay in step. Terms follow web/share/i18n/*.json.
    struct Phrases
    {
      const char* language;
      const char* linkSubject;
      const char* codeSubject;
      const char* hello;   // followed by the optional name and a comma
      const char* shared;  // "{{SenderName}} has shared..."
      const char* openWith;
      const char* button;
      const char* validUntil;  // followed by the date
      const char* noExpiry;
      const char* noteFrom;
      const char* accessCode;
      const char* password;
      const char* codeSeparately;
      const char* passwordSeparately;
      const char* birthDate;
      const char* keepPrivate;
      const char* codeIntro;
      const char* codeWhere;
      const char* footer;
    };

    const Phrases kPhrases[] = {
      {"en", "Medical images shared with you", "Your access code for the shared medical images", "Hello",
       "{{SenderName}} has shared medical images with you.", "Open them with this link:", "Open the images",
       "The link works until", "The link does not expire, but the sender may withdraw it at any time.",
       "Message from the sender:", "Access code", "Password", "You will receive the access code in a separate e-mail.",
       "The sender will give you the password another way.", "You will be asked for the patient's date of birth.",
       "Keep this e-mail private: it gives access to medical images.",
       "Here is the access code for the medical images that {{SenderName}} shared with you. The link comes in a "
       "separate e-mail.",
       "Enter the code on the page that opens with the link, or here:",
       "This message was sent by StudyShare on behalf of {{SenderName}}. Do not reply to it."},
      {"fr", "Des images médicales ont été partagées avec vous", "Votre code d'accès aux images médicales partagées",
       "Bonjour", "{{SenderName}} a partagé des images médicales avec vous.",
       "Ouvrez-les avec ce lien :", "Ouvrir les images", "Le lien est valable jusqu'au",
       "Le lien n'expire pas, mais l'expéditeur peut le retirer à tout moment.", "Message de l'expéditeur :",
       "Code d'accès", "Mot de passe", "Vous recevrez le code d'accès dans un e-mail séparé.",
       "L'expéditeur vous communiquera le mot de passe par un autre moyen.",
       "La date de naissance du patient vous sera demandée.",
       "Gardez cet e-mail confidentiel : il donne accès à des images médicales.",
       "Voici le code d'accès aux images médicales que {{SenderName}} a partagées avec vous. Le lien vous parvient "
       "dans un e-mail séparé.",
       "Saisissez le code sur la page qui s'ouvre avec le lien, ou ici :",
       "Ce message a été envoyé par StudyShare pour le compte de {{SenderName}}. Merci de ne pas y répondre."},
      {"de", "Medizinische Bilder wurden mit Ihnen geteilt", "Ihr Zugangscode für die geteilten medizinischen Bilder",
       "Guten Tag", "{{SenderName}} hat medizinische Bilder mit Ihnen geteilt.",
       "Öffnen Sie sie mit diesem Link:", "Bilder öffnen", "Der Link ist gültig bis",
       "Der Link läuft nicht ab, kann aber vom Absender jederzeit zurückgezogen werden.",
       "Nachricht des Absenders:", "Zugangscode", "Passwort", "Den Zugangscode erhalten Sie in einer separaten E-Mail.",
       "Der Absender teilt Ihnen das Passwort auf anderem Weg mit.",
       "Sie werden nach dem Geburtsdatum des Patienten gefragt.",
       "Behandeln Sie diese E-Mail vertraulich: Sie gewährt Zugang zu medizinischen Bildern.",
       "Hier ist der Zugangscode für die medizinischen Bilder, die {{SenderName}} mit Ihnen geteilt hat. Den Link "
       "erhalten Sie in einer separaten E-Mail.",
       "Geben Sie den Code auf der Seite ein, die sich mit dem Link öffnet, oder hier:",
       "Diese Nachricht wurde von StudyShare im Auftrag von {{SenderName}} gesendet. Bitte antworten Sie nicht "
       "darauf."},
      {"es", "Se han compartido imágenes médicas con usted", "Su código de acceso a las imágenes médicas compartidas",
       "Hola", "{{SenderName}} ha compartido imágenes médicas con usted.",
       "Ábralas con este enlace:", "Abrir las imágenes", "El enlace es válido hasta el",
       "El enlace no caduca, pero el remitente puede retirarlo en cualquier momento.", "Mensaje del remitente:",
       "Código de acceso", "Contraseña", "Recibirá el código de acceso en un correo electrónico aparte.",
       "El remitente le comunicará la contraseña por otro medio.", "Se le pedirá la fecha de nacimiento del paciente.",
       "Mantenga este correo en privado: da acceso a imágenes médicas.",
       "Este es el código de acceso a las imágenes médicas que {{SenderName}} ha compartido con usted. El enlace le "
       "llega en un correo aparte.",
       "Introduzca el código en la página que se abre con el enlace, o aquí:",
       "Este mensaje lo ha enviado StudyShare en nombre de {{SenderName}}. No responda a él."},
    };

    const char* kMonths[4][12] = {{"January", "February", "March", "April", "May", "June", "July", "August",
                                   "September", "October", "November", "December"},
                                  {"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
                                   "octobre", "novembre", "décembre"},
                                  {"Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
                                   "Oktober", "November", "Dezember"},
                                  {"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
                                   "septiembre", "octubre", "noviembre", "diciembre"}};

    std::string Fill(std::string pattern, const Phrases& p)
    {
      const std::pair<const char*, const char*> words[] = {
        {"@hello", p.hello},
        {"@shared", p.shared},
        {"@openWith", p.openWith},
        {"@button", p.button},
        {"@validUntil", p.validUntil},
        {"@noExpiry", p.noExpiry},
        {"@noteFrom", p.noteFrom},
        {"@accessCode", p.accessCode},
        {"@passwordSeparately", p.passwordSeparately},  // before "@password", its prefix
        {"@password", p.password},
        {"@codeSeparately", p.codeSeparately},
        {"@birthDate", p.birthDate},
        {"@keepPrivate", p.keepPrivate},
        {"@codeIntro", p.codeIntro},
        {"@codeWhere", p.codeWhere},
        {"@footer", p.footer},
        {"@lang", p.language}};
      for (const auto& [key, value] : words)
      {
        size_t at;
        while ((at = pattern.find(key)) != std::string::npos)
        {
          pattern.replace(at, std::string_view(key).size(), value);
        }
      }
      return pattern;
    }

    const char* kLinkText =
      "@hello{{#RecipientName}} {{RecipientName}}{{/RecipientName}},\n"
      "\n"
      "@shared\n"
      "\n"
      "@openWith\n"
      "{{Link}}\n"
      "\n"
      "{{#ExpirationDate}}@validUntil {{ExpirationDate}}.\n{{/ExpirationDate}}"
      "{{^ExpirationDate}}@noExpiry\n{{/ExpirationDate}}"
      "{{#BirthDateRequired}}@birthDate\n{{/BirthDateRequired}}"
      "{{#AccessCode}}@accessCode: {{AccessCode}}\n{{/AccessCode}}"
      "{{#AccessCodeSeparately}}@codeSeparately\n{{/AccessCodeSeparately}}"
      "{{#Password}}@password: {{Password}}\n{{/Password}}"
      "{{#PasswordSeparately}}@passwordSeparately\n{{/PasswordSeparately}}"
      "{{#Note}}\n@noteFrom\n{{Note}}\n{{/Note}}"
      "\n"
      "@keepPrivate\n"
      "\n"
      "-- \n"
      "@footer\n";

    const char* kHtmlHead =
      "<!DOCTYPE html>\n<html lang=\"@lang\">\n<head><meta charset=\"utf-8\"><title>StudyShare</title></head>\n"
      "<body style=\"font-family: Arial, Helvetica, sans-serif; color: #1f2933; line-height: 1.5;\">\n";
    const char* kHtmlFoot =
      "<p style=\"color: #52606d;\">@keepPrivate</p>\n"
      "<hr style=\"border: 0; border-top: 1px solid #d9e2ec;\">\n"
      "<p style=\"color: #7b8794; font-size: 12px;\">@footer</p>\n"
      "</body>\n</html>\n";

    const char* kLinkHtml =
      "<p>@hello{{#RecipientName}} {{RecipientName}}{{/RecipientName}},</p>\n"
      "<p>@shared</p>\n"
      "<p>@openWith</p>\n"
      "<p><a href=\"{{Link}}\" style=\"display: inline-block; padding: 10px 18px; background: #0b6bcb; color: #ffffff; "
      "text-decoration: none; border-radius: 4px;\">@button</a></p>\n"
      "<p style=\"font-size: 12px; word-break: break-all;\"><a href=\"{{Link}}\">{{Link}}</a></p>\n"
      "{{#ExpirationDate}}<p>@validUntil {{ExpirationDate}}.</p>\n{{/ExpirationDate}}"
      "{{^ExpirationDate}}<p>@noExpiry</p>\n{{/ExpirationDate}}"
      "{{#BirthDateRequired}}<p>@birthDate</p>\n{{/BirthDateRequired}}"
      "{{#AccessCode}}<p>@accessCode: <strong style=\"font-family: monospace; font-size: "
      "16px;\">{{AccessCode}}</strong></p>\n{{/AccessCode}}"
      "{{#AccessCodeSeparately}}<p>@codeSeparately</p>\n{{/AccessCodeSeparately}}"
      "{{#Password}}<p>@password: <strong style=\"font-family: monospace;\">{{Password}}</strong></p>\n{{/Password}}"
      "{{#PasswordSeparately}}<p>@passwordSeparately</p>\n{{/PasswordSeparately}}"
      "{{#Note}}<p>@noteFrom</p>\n<blockquote style=\"border-left: 3px solid #d9e2ec; margin: 0; padding-left: "
      "12px;\">{{Note}}</blockquote>\n{{/Note}}";

    const char* kCodeText =
      "@hello{{#RecipientName}} {{RecipientName}}{{/RecipientName}},\n"
      "\n"
      "@codeIntro\n"
      "\n"
      "@accessCode: {{AccessCode}}\n"
      "\n"
      "@codeWhere\n"
      "{{CodePageUrl}}\n"
      "\n"
      "{{#ExpirationDate}}@validUntil {{ExpirationDate}}.\n\n{{/ExpirationDate}}"
      "@keepPrivate\n"
      "\n"
      "-- \n"
      "@footer\n";

    const char* kCodeHtml =
      "<p>@hello{{#RecipientName}} {{RecipientName}}{{/RecipientName}},</p>\n"
      "<p>@codeIntro</p>\n"
      "<p>@accessCode: <strong style=\"font-family: monospace; font-size: 18px;\">{{AccessCode}}</strong></p>\n"
      "<p>@codeWhere <a href=\"{{CodePageUrl}}\">{{CodePageUrl}}</a></p>\n"
      "{{#ExpirationDate}}<p>@validUntil {{ExpirationDate}}.</p>\n{{/ExpirationDate}}";

    std::string Key(MailKind kind, const std::string& language)
    {
      return std::string(ToString(kind)) + "." + language;
    }

    size_t LanguageIndex(const std::string& language)
    {
      const auto& languages = MailTemplates::Languages();
      const auto it = std::find(languages.begin(), languages.end(), language);
      return it == languages.end() ? 0 : static_cast<size_t>(it - languages.begin());
    }

    // Reads a placeholder tag at `at` ("{{" already seen); returns the tag
    // content and moves `at` past "}}".
    std::string ReadTag(std::string_view text, size_t& at)
    {
      const size_t close = text.find("}}", at + 2);
      if (close == std::string_view::npos)
      {
        throw std::invalid_argument("unclosed '{{' in a mail template");
      }
      std::string tag(text.substr(at + 2, close - at - 2));
      at = close + 2;
      return tag;
    }

    bool IsKnownName(const std::string& name)
    {
      const auto& names = MailTemplates::PlaceholderNames();
      return std::find(names.begin(), names.end(), name) != names.end();
    }

    std::string EscapeValue(const std::string& value, MailTemplates::Escaping escaping)
    {
      switch (escaping)
      {
        case MailTemplates::Escaping::Html:
        {
          std::string escaped = HtmlEscape(value);
          std::string out;
          for (char c : escaped)
          {
            if (c == '\n')
            {
              out += "<br>\n";
            }
            else if (c != '\r')
            {
              out += c;
            }
          }
          return out;
        }
        case MailTemplates::Escaping::HeaderLine:
        {
          std::string out;
          for (char c : value)
          {
            out += (c == '\r' || c == '\n' || c == '\t' || c == '\0') ? ' ' : c;
          }
          return out;
        }
        default:
          return value;
      }
    }

    // Recursive expansion of text[at..) up to the closing tag of `section`
    // (empty at top level).
    void ExpandInto(std::string_view text, size_t& at, const MailValues& values, MailTemplates::Escaping escaping,
                    const std::string& section, bool emit, std::string& out)
    {
      while (at < text.size())
      {
        const size_t open = text.find("{{", at);
        if (open == std::string_view::npos)
        {
          if (emit)
          {
            out.append(text.substr(at));
          }
          at = text.size();
          break;
        }
        if (emit)
        {
          out.append(text.substr(at, open - at));
        }
        at = open;
        const std::string tag = ReadTag(text, at);
        const std::string name = Trim(tag.empty()                                         ? tag
                                      : (tag[0] == '#' || tag[0] == '^' || tag[0] == '/') ? tag.substr(1)
                                                                                          : tag);
        if (!IsKnownName(name))
        {
          throw std::invalid_argument("unknown placeholder '{{" + tag + "}}' in a mail template");
        }
        const auto found = values.find(name);
        const std::string value = found == values.end() ? "" : found->second;
        if (tag[0] == '/')
        {
          if (name != section)
          {
            throw std::invalid_argument("unexpected '{{" + tag + "}}' in a mail template");
          }
          return;
        }
        if (tag[0] == '#' || tag[0] == '^')
        {
          const bool keep = tag[0] == '#' ? !value.empty() : value.empty();
          ExpandInto(text, at, values, escaping, name, emit && keep, out);
          continue;
        }
        if (emit)
        {
          out += EscapeValue(value, escaping);
        }
      }
      if (!section.empty())
      {
        throw std::invalid_argument("section '{{#" + section + "}}' is not closed in a mail template");
      }
    }

  }

  const char* ToString(MailKind kind)
  {
    return kind == MailKind::Link ? "link" : "code";
  }

  std::string HtmlEscape(std::string_view text)
  {
    std::string out;
    out.reserve(text.size());
    for (char c : text)
    {
      switch (c)
      {
        case '&':
          out += "&amp;";
          break;
        case '<':
          out += "&lt;";
          break;
        case '>':
          out += "&gt;";
          break;
        case '"':
          out += "&quot;";
          break;
        case '\'':
          out += "&#39;";
          break;
        default:
          out += c;
      }
    }
    return out;
  }

  const std::vector<std::string>& MailTemplates::Languages()
  {
    static const std::vector<std::string> kLanguages = {"en", "fr", "de", "es"};
    return kLanguages;
  }

  const std::vector<std::string>& MailTemplates::PlaceholderNames()
  {
    static const std::vector<std::string> kNames = {
      "Link",       "CodePageUrl",   "AccessCode",           "Password",           "ExpirationDate",   "Note",
      "SenderName", "RecipientName", "AccessCodeSeparately", "PasswordSeparately", "BirthDateRequired"};
    return kNames;
  }

  std::optional<std::string> MailTemplates::NormalizeLanguage(std::string_view language)
  {
    std::string primary = ToLowerAscii(language.substr(0, language.find_first_of("-_")));
    if ((language.size() != 2 && language.size() < 4) || language.size() > 35 ||
        (language.size() > 2 && language[2] != '-' && language[2] != '_'))
    {
      return std::nullopt;
    }
    const auto& languages = Languages();
    if (std::find(languages.begin(), languages.end(), primary) == languages.end())
    {
      return std::nullopt;
    }
    return primary;
  }

  MailTemplates MailTemplates::BuiltIn()
  {
    MailTemplates templates;
    for (const Phrases& p : kPhrases)
    {
      MailTemplate link;
      link.subject = p.linkSubject;
      link.text = Fill(kLinkText, p);
      link.html = Fill(std::string(kHtmlHead) + kLinkHtml + kHtmlFoot, p);
      templates.Set(MailKind::Link, p.language, link);

      MailTemplate code;
      code.subject = p.codeSubject;
      code.text = Fill(kCodeText, p);
      code.html = Fill(std::string(kHtmlHead) + kCodeHtml + kHtmlFoot, p);
      templates.Set(MailKind::AccessCode, p.language, code);
    }
    return templates;
  }

  MailTemplates MailTemplates::Load(const std::string& folder)
  {
    MailTemplates templates = BuiltIn();
    for (MailKind kind : {MailKind::Link, MailKind::AccessCode})
    {
      for (const std::string& language : Languages())
      {
        MailTemplate value = templates.Get(kind, language);
        const std::string base = folder + "/" + ToString(kind) + "." + language;
        const std::pair<std::string, std::string*> files[] = {
          {base + ".subject.txt", &value.subject}, {base + ".txt", &value.text}, {base + ".html", &value.html}};
        for (const auto& [path, target] : files)
        {
          if (const auto content = ReadWholeFile(path))
          {
            try
            {
              Validate(*content);
            }
            catch (const std::invalid_argument& e)
            {
              throw std::invalid_argument(path + ": " + e.what());
            }
            *target = target == &value.subject ? Trim(*content) : *content;
          }
        }
        templates.Set(kind, language, value);
      }
    }
    return templates;
  }

  const MailTemplate& MailTemplates::Get(MailKind kind, const std::string& language) const
  {
    auto it = templates_.find(Key(kind, language));
    if (it == templates_.end())
    {
      it = templates_.find(Key(kind, "en"));
    }
    if (it == templates_.end())
    {
      throw std::invalid_argument("no mail template for " + Key(kind, language));
    }
    return it->second;
  }

  void MailTemplates::Set(MailKind kind, const std::string& language, const MailTemplate& value)
  {
    Validate(value.subject);
    Validate(value.text);
    Validate(value.html);
    if (value.subject.find_first_of("\r\n") != std::string::npos)
    {
      throw std::invalid_argument("a mail subject template must be one line");
    }
    templates_[Key(kind, language)] = value;
  }

  MailTemplate MailTemplates::Render(MailKind kind, const std::string& language, const MailValues& values) const
  {
    const MailTemplate& source = Get(kind, language);
    MailTemplate rendered;
    rendered.subject = Trim(Expand(source.subject, values, Escaping::HeaderLine));
    rendered.text = Expand(source.text, values, Escaping::None);
    rendered.html = Expand(source.html, values, Escaping::Html);
    return rendered;
  }

  std::string MailTemplates::Expand(std::string_view text, const MailValues& values, Escaping escaping)
  {
    std::string out;
    size_t at = 0;
    ExpandInto(text, at, values, escaping, "", true, out);
    return out;
  }

  void MailTemplates::Validate(std::string_view text)
  {
    Expand(text, {}, Escaping::None);
  }

  std::string FormatMailDate(int64_t secondsSinceEpoch, const std::string& language, int64_t utcOffsetSeconds)
  {
    const time_t local = static_cast<time_t>(secondsSinceEpoch + utcOffsetSeconds);
    struct tm parts = {};
    gmtime_r(&local, &parts);
    const size_t index = LanguageIndex(language);
    const char* month = kMonths[index][parts.tm_mon];
    const int64_t offsetMinutes = (utcOffsetSeconds < 0 ? -utcOffsetSeconds : utcOffsetSeconds) / 60;
    char zone[32];
    if (utcOffsetSeconds == 0)
    {
      snprintf(zone, sizeof(zone), "UTC");
    }
    else
    {
      snprintf(zone, sizeof(zone), "UTC%c%02d:%02d", utcOffsetSeconds < 0 ? '-' : '+',
               static_cast<int>(offsetMinutes / 60), static_cast<int>(offsetMinutes % 60));
    }
    char buffer[128];
    const int year = parts.tm_year + 1900;
    switch (index)
    {
      case 1:
        snprintf(buffer, sizeof(buffer), "%d %s %d à %02d:%02d (%s)", parts.tm_mday, month, year, parts.tm_hour,
                 parts.tm_min, zone);
        break;
      case 2:
        snprintf(buffer, sizeof(buffer), "%d. %s %d, %02d:%02d Uhr (%s)", parts.tm_mday, month, year, parts.tm_hour,
                 parts.tm_min, zone);
        break;
      case 3:
        snprintf(buffer, sizeof(buffer), "%d de %s de %d, %02d:%02d (%s)", parts.tm_mday, month, year, parts.tm_hour,
                 parts.tm_min, zone);
        break;
      default:
        snprintf(buffer, sizeof(buffer), "%d %s %d, %02d:%02d (%s)", parts.tm_mday, month, year, parts.tm_hour,
                 parts.tm_min, zone);
    }
    return buffer;
  }
}
