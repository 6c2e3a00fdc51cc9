// SPDX-License-Identifier: GPL-3.0-or-later
#include "MailTemplates.h"

#include "BuiltInMailTemplates.h"
#include "FileReading.h"
#include "TextUtilities.h"

#include <algorithm>
#include <stdexcept>

namespace studyshare
{
  namespace
  {
    std::string Key(MailKind kind, const std::string& language)
    {
      return std::string(ToString(kind)) + "." + language;
    }

    // The built-in texts are files of src/core/mail/templates/, one per
    // language, kind and part, compiled in.
    std::string_view BuiltInFile(const std::string& name)
    {
      for (const EmbeddedText& file : BuiltInMailTemplateFiles())
      {
        if (file.name == name)
        {
          return file.content;
        }
      }
      throw std::logic_error("built-in mail template missing: " + name);
    }
  }

  const char* ToString(MailKind kind)
  {
    return kind == MailKind::Link ? "link" : "code";
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
    for (MailKind kind : {MailKind::Link, MailKind::AccessCode})
    {
      for (const std::string& language : Languages())
      {
        const std::string base = Key(kind, language);
        MailTemplate value;
        value.subject = Trim(std::string(BuiltInFile(base + ".subject.txt")));
        value.text = std::string(BuiltInFile(base + ".txt"));
        value.html = std::string(BuiltInFile(base + ".html"));
        templates.Set(kind, language, value);
      }
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
}
