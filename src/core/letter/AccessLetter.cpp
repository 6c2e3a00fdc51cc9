// SPDX-License-Identifier: GPL-3.0-or-later
#include "AccessLetter.h"

#include "LetterTexts.h"
#include "MailTemplates.h"

#include <stdexcept>

namespace studyshare
{
  namespace
  {
    using Json = nlohmann::json;

    std::string Fill(const char* text, const std::string& name, const std::string& value)
    {
      std::string result(text);
      const std::string placeholder = "{" + name + "}";
      const size_t at = result.find(placeholder);
      if (at != std::string::npos)
      {
        result.replace(at, placeholder.size(), value);
      }
      return result;
    }

    std::string StudyLine(const LetterFacts::Study& study, const LetterTexts& texts, const std::string& language)
    {
      const std::string description = study.description.empty() ? texts.noDescription : study.description;
      const std::string day = FormatMailDay(study.date, language);
      return day.empty() ? description : day + " \u2014 " + description;
    }

    // The JSON names of the letter's fields, shared by ToJson and FromJson.
    struct TextField
    {
      const char* name;
      std::string AccessLetter::*member;
    };

    const TextField kTextFields[] = {{"Language", &AccessLetter::language},
                                     {"HospitalName", &AccessLetter::hospitalName},
                                     {"Title", &AccessLetter::title},
                                     {"Intro", &AccessLetter::intro},
                                     {"StudyHeading", &AccessLetter::studyHeading},
                                     {"OpenHeading", &AccessLetter::openHeading},
                                     {"QrText", &AccessLetter::qrText},
                                     {"QrLink", &AccessLetter::qrLink},
                                     {"TypeText", &AccessLetter::typeText},
                                     {"TypedLink", &AccessLetter::typedLink},
                                     {"CodeText", &AccessLetter::codeText},
                                     {"AccessCode", &AccessLetter::accessCode},
                                     {"CodePageText", &AccessLetter::codePageText},
                                     {"Validity", &AccessLetter::validity},
                                     {"ContactHeading", &AccessLetter::contactHeading},
                                     {"Contact", &AccessLetter::contact},
                                     {"Privacy", &AccessLetter::privacy}};

    std::vector<std::string> ReadLines(const Json& value, const char* name)
    {
      if (!value.contains(name) || !value[name].is_array())
      {
        throw std::invalid_argument(std::string("the letter's '") + name + "' is not a list");
      }
      std::vector<std::string> lines;
      for (const Json& line : value[name])
      {
        if (!line.is_string())
        {
          throw std::invalid_argument(std::string("the letter's '") + name + "' holds a non-text item");
        }
        lines.push_back(line.get<std::string>());
      }
      return lines;
    }
  }

  AccessLetter AccessLetter::Build(const LetterFacts& facts, const LetterSettings& settings)
  {
    const std::string language = MailTemplates::NormalizeLanguage(facts.language).value_or("en");
    const LetterTexts& texts = LetterTextsFor(language);
    AccessLetter letter;
    letter.language = language;
    letter.hospitalName = settings.hospitalName;
    letter.hasLogo = !settings.logoPng.empty();
    letter.title = texts.title;
    letter.intro = texts.intro;
    letter.studyHeading = texts.studyHeading;
    for (const LetterFacts::Study& study : facts.studies)
    {
      letter.studies.push_back(StudyLine(study, texts, language));
    }
    letter.openHeading = texts.openHeading;
    letter.qrText = texts.qr;
    letter.qrLink = facts.link;
    // A full link (a signed token) is far too long to type from paper.
    if (facts.linkIsShort)
    {
      letter.typeText = texts.type;
      letter.typedLink = facts.link;
    }
    if (!facts.accessCode.empty())
    {
      letter.codeText = texts.code;
      letter.accessCode = facts.accessCode;
      letter.codePageText = Fill(texts.codePage, "address", facts.codePageUrl);
    }
    if (facts.birthDateRequired)
    {
      letter.checks.push_back(texts.birthDate);
    }
    if (facts.passwordRequired)
    {
      letter.checks.push_back(texts.password);
    }
    if (facts.emailCodeRequired)
    {
      letter.checks.push_back(texts.emailCode);
    }
    letter.validity = facts.expiresAt
                        ? Fill(texts.validUntil, "date",
                               FormatMailDate(*facts.expiresAt, language, facts.utcOffsetSeconds, facts.timeZoneName))
                        : std::string(texts.neverExpires);
    if (!settings.contact.empty())
    {
      letter.contactHeading = texts.contactHeading;
      letter.contact = settings.contact;
    }
    letter.privacy = texts.privacy;
    return letter;
  }

  Json AccessLetter::ToJson() const
  {
    Json value = Json::object();
    for (const TextField& field : kTextFields)
    {
      value[field.name] = this->*field.member;
    }
    value["HasLogo"] = hasLogo;
    value["Studies"] = studies;
    value["Checks"] = checks;
    return value;
  }

  AccessLetter AccessLetter::FromJson(const Json& value)
  {
    if (!value.is_object())
    {
      throw std::invalid_argument("the letter is not a JSON object");
    }
    AccessLetter letter;
    for (const TextField& field : kTextFields)
    {
      if (!value.contains(field.name) || !value[field.name].is_string())
      {
        throw std::invalid_argument(std::string("the letter's '") + field.name + "' is not a text");
      }
      letter.*field.member = value[field.name].get<std::string>();
    }
    if (!value.contains("HasLogo") || !value["HasLogo"].is_boolean())
    {
      throw std::invalid_argument("the letter's 'HasLogo' is not true or false");
    }
    letter.hasLogo = value["HasLogo"].get<bool>();
    letter.studies = ReadLines(value, "Studies");
    letter.checks = ReadLines(value, "Checks");
    if (letter.qrLink.empty())
    {
      throw std::invalid_argument("the letter names no link");
    }
    return letter;
  }
}
