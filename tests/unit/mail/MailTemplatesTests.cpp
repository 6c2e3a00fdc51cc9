// SPDX-License-Identifier: GPL-3.0-or-later
#include "MailTemplates.h"
#include "ShareMailer.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

using namespace studyshare;

namespace
{
  const std::string kLink = "https://pacs.example.org/share/#token=eyJ.abc.def";

  MailValues LinkValues()
  {
    return {{"Link", kLink},
            {"SenderName", "Dr Martin"},
            {"ExpirationDate", "31 January 2026, 18:00 (UTC)"},
            {"Note", "Your MRI <b>results</b> & report\nSecond line"}};
  }

  struct RecordingSender : ISmtpSender
  {
    std::vector<std::string> messages;
    bool fail = false;
    void Send(const std::string&, const std::vector<std::string>&, const std::string& message) override
    {
      if (fail)
      {
        throw SmtpError("cannot connect to smtp://127.0.0.1:1 (Connection refused)");
      }
      messages.push_back(message);
    }
  };
}

TEST(MailTemplatesTests, EveryLanguageRendersBothKinds)
{
  const MailTemplates templates = MailTemplates::BuiltIn();
  const std::map<std::string, std::string> subjects = {{"en", "Medical images shared with you"},
                                                       {"fr", "Des images médicales ont été partagées avec vous"},
                                                       {"de", "Medizinische Bilder wurden mit Ihnen geteilt"},
                                                       {"es", "Se han compartido imágenes médicas con usted"}};
  ASSERT_EQ(4u, MailTemplates::Languages().size());
  for (const std::string& language : MailTemplates::Languages())
  {
    const MailTemplate link = templates.Render(MailKind::Link, language, LinkValues());
    EXPECT_EQ(subjects.at(language), link.subject);
    EXPECT_NE(std::string::npos, link.text.find(kLink)) << language;
    EXPECT_NE(std::string::npos, link.text.find("Dr Martin")) << language;
    EXPECT_NE(std::string::npos, link.html.find("href=\"" + kLink + "\"")) << language;
    EXPECT_NE(std::string::npos, link.html.find("<html lang=\"" + language + "\">")) << language;
    EXPECT_EQ(std::string::npos, link.text.find("{{")) << language;
    EXPECT_EQ(std::string::npos, link.html.find("{{")) << language;
    EXPECT_EQ(std::string::npos, link.text.find('@')) << language;  // every phrase was filled

    MailValues codeValues = {{"AccessCode", "ABCDE-FGHJK-MNPQR"},
                             {"CodePageUrl", "https://pacs.example.org/share/"},
                             {"SenderName", "Dr Martin"}};
    const MailTemplate code = templates.Render(MailKind::AccessCode, language, codeValues);
    EXPECT_FALSE(code.subject.empty());
    EXPECT_NE(subjects.at(language), code.subject);
    EXPECT_NE(std::string::npos, code.text.find("ABCDE-FGHJK-MNPQR")) << language;
    EXPECT_NE(std::string::npos, code.html.find("ABCDE-FGHJK-MNPQR")) << language;
    EXPECT_NE(std::string::npos, code.text.find("https://pacs.example.org/share/")) << language;
    EXPECT_EQ(std::string::npos, code.text.find("#token=")) << language;
  }
}

TEST(MailTemplatesTests, LanguagesDiffer)
{
  const MailTemplates templates = MailTemplates::BuiltIn();
  EXPECT_NE(std::string::npos,
            templates.Render(MailKind::Link, "fr", LinkValues()).text.find("a partagé des images médicales"));
  EXPECT_NE(std::string::npos, templates.Render(MailKind::Link, "de", LinkValues()).text.find("Guten Tag"));
  EXPECT_NE(std::string::npos, templates.Render(MailKind::Link, "es", LinkValues()).text.find("Hola"));
  EXPECT_NE(std::string::npos, templates.Render(MailKind::Link, "en", LinkValues()).text.find("Hello"));
  // Unknown language: English.
  EXPECT_EQ(templates.Render(MailKind::Link, "en", LinkValues()).text,
            templates.Render(MailKind::Link, "xx", LinkValues()).text);
}

TEST(MailTemplatesTests, HtmlBodyEscapesValuesTextBodyDoesNot)
{
  const MailTemplate link = MailTemplates::BuiltIn().Render(MailKind::Link, "en", LinkValues());
  EXPECT_NE(std::string::npos, link.html.find("Your MRI &lt;b&gt;results&lt;/b&gt; &amp; report<br>\nSecond line"));
  EXPECT_EQ(std::string::npos, link.html.find("<b>results"));
  EXPECT_NE(std::string::npos, link.text.find("Your MRI <b>results</b> & report\nSecond line"));

  MailValues evil = LinkValues();
  evil["SenderName"] = "\"><script>alert(1)</script>";
  evil["Link"] = "https://x/\" onclick=\"alert(1)";
  const MailTemplate rendered = MailTemplates::BuiltIn().Render(MailKind::Link, "en", evil);
  EXPECT_EQ(std::string::npos, rendered.html.find("<script>"));
  EXPECT_EQ(std::string::npos, rendered.html.find("\" onclick"));
  EXPECT_NE(std::string::npos, rendered.html.find("&quot; onclick=&quot;"));
  EXPECT_EQ("&amp;&lt;&gt;&quot;&#39;", HtmlEscape("&<>\"'"));
}

TEST(MailTemplatesTests, SectionsFollowValues)
{
  const MailTemplates templates = MailTemplates::BuiltIn();
  MailValues values = {{"Link", kLink}, {"SenderName", "x"}};
  std::string text = templates.Render(MailKind::Link, "en", values).text;
  EXPECT_NE(std::string::npos, text.find("does not expire"));
  EXPECT_EQ(std::string::npos, text.find("works until"));
  EXPECT_EQ(std::string::npos, text.find("Message from the sender"));
  EXPECT_EQ(std::string::npos, text.find("Access code"));
  EXPECT_EQ(std::string::npos, text.find("Password"));

  values["AccessCodeSeparately"] = "yes";
  values["PasswordSeparately"] = "yes";
  values["BirthDateRequired"] = "yes";
  text = templates.Render(MailKind::Link, "en", values).text;
  EXPECT_NE(std::string::npos, text.find("access code in a separate e-mail"));
  EXPECT_NE(std::string::npos, text.find("password another way"));
  EXPECT_NE(std::string::npos, text.find("date of birth"));

  values["AccessCode"] = "ABCDE-FGHJK-MNPQR";
  values["Password"] = "s3cret";
  text = templates.Render(MailKind::Link, "en", values).text;
  EXPECT_NE(std::string::npos, text.find("Access code: ABCDE-FGHJK-MNPQR"));
  EXPECT_NE(std::string::npos, text.find("Password: s3cret"));
}

TEST(MailTemplatesTests, ExpandGrammar)
{
  const MailValues values = {{"Note", "n"}, {"SenderName", ""}};
  EXPECT_EQ("a n b", MailTemplates::Expand("a {{Note}} b", values, MailTemplates::Escaping::None));
  EXPECT_EQ("[n]", MailTemplates::Expand("{{#Note}}[{{Note}}]{{/Note}}", values, MailTemplates::Escaping::None));
  EXPECT_EQ("", MailTemplates::Expand("{{^Note}}none{{/Note}}", values, MailTemplates::Escaping::None));
  EXPECT_EQ("none", MailTemplates::Expand("{{^SenderName}}none{{/SenderName}}", values, MailTemplates::Escaping::None));
  EXPECT_EQ("", MailTemplates::Expand("{{#Link}}{{#Note}}x{{/Note}}{{/Link}}", values, MailTemplates::Escaping::None));
  EXPECT_EQ("a  b", MailTemplates::Expand("{{Note}}", {{"Note", "a\r\nb"}}, MailTemplates::Escaping::HeaderLine));
  EXPECT_THROW(MailTemplates::Validate("{{Unknown}}"), std::invalid_argument);
  EXPECT_THROW(MailTemplates::Validate("{{#Note}}x"), std::invalid_argument);
  EXPECT_THROW(MailTemplates::Validate("x{{/Note}}"), std::invalid_argument);
  EXPECT_THROW(MailTemplates::Validate("{{#Note}}x{{/Link}}"), std::invalid_argument);
  EXPECT_THROW(MailTemplates::Validate("{{Note"), std::invalid_argument);
  EXPECT_THROW(MailTemplates::Validate("{{}}"), std::invalid_argument);
}

TEST(MailTemplatesTests, SubjectValuesCannotBreakTheHeaderLine)
{
  MailTemplates templates = MailTemplates::BuiltIn();
  templates.Set(MailKind::Link, "en", {"Images from {{SenderName}}", "{{Link}}", "{{Link}}"});
  const MailTemplate rendered =
    templates.Render(MailKind::Link, "en", {{"SenderName", "x\r\nBcc: victim@example.com"}, {"Link", kLink}});
  EXPECT_EQ(std::string::npos, rendered.subject.find_first_of("\r\n"));
  EXPECT_THROW(templates.Set(MailKind::Link, "en", {"two\nlines", "", ""}), std::invalid_argument);
}

TEST(MailTemplatesTests, NormalizeLanguage)
{
  EXPECT_EQ("fr", MailTemplates::NormalizeLanguage("fr"));
  EXPECT_EQ("fr", MailTemplates::NormalizeLanguage("FR"));
  EXPECT_EQ("fr", MailTemplates::NormalizeLanguage("fr-CA"));
  EXPECT_EQ("de", MailTemplates::NormalizeLanguage("de_DE"));
  EXPECT_EQ("es", MailTemplates::NormalizeLanguage("es"));
  EXPECT_EQ("en", MailTemplates::NormalizeLanguage("en-GB"));
  EXPECT_FALSE(MailTemplates::NormalizeLanguage("it"));
  EXPECT_FALSE(MailTemplates::NormalizeLanguage(""));
  EXPECT_FALSE(MailTemplates::NormalizeLanguage("f"));
  EXPECT_FALSE(MailTemplates::NormalizeLanguage("french"));
  EXPECT_FALSE(MailTemplates::NormalizeLanguage("fr\r\n"));
}

TEST(MailTemplatesTests, DatesInEachLanguage)
{
  const int64_t when = 1769882709;  // 2026-01-31T18:05:09Z
  EXPECT_EQ("31 January 2026, 18:05 (UTC)", FormatMailDate(when, "en", 0));
  EXPECT_EQ("31 janvier 2026 à 19:05 (UTC+01:00)", FormatMailDate(when, "fr", 3600));
  EXPECT_EQ("31. Januar 2026, 19:05 Uhr (UTC+01:00)", FormatMailDate(when, "de", 3600));
  EXPECT_EQ("31 de enero de 2026, 13:05 (UTC-05:00)", FormatMailDate(when, "es", -5 * 3600));
}

TEST(MailTemplatesTests, FolderOverridesSomeTemplates)
{
  const std::filesystem::path folder =
    std::filesystem::temp_directory_path() / ("studyshare-mail-templates-" + std::to_string(::getpid()));
  std::filesystem::create_directories(folder);
  std::ofstream(folder / "link.fr.subject.txt") << "Images de {{SenderName}}\n";
  std::ofstream(folder / "link.fr.txt") << "Lien : {{Link}}\n";
  MailTemplates templates = MailTemplates::Load(folder.string());
  const MailTemplate fr = templates.Render(MailKind::Link, "fr", LinkValues());
  EXPECT_EQ("Images de Dr Martin", fr.subject);
  EXPECT_EQ("Lien : " + kLink + "\n", fr.text);
  EXPECT_NE(std::string::npos, fr.html.find("Bonjour"));  // built-in HTML kept
  EXPECT_EQ(MailTemplates::BuiltIn().Render(MailKind::Link, "de", LinkValues()).text,
            templates.Render(MailKind::Link, "de", LinkValues()).text);

  std::ofstream(folder / "code.es.html") << "{{Codigo}}";
  try
  {
    MailTemplates::Load(folder.string());
    ADD_FAILURE() << "a template with an unknown placeholder was accepted";
  }
  catch (const std::invalid_argument& e)
  {
    EXPECT_NE(std::string::npos, std::string(e.what()).find("code.es.html")) << e.what();
    EXPECT_NE(std::string::npos, std::string(e.what()).find("Codigo")) << e.what();
  }
  std::filesystem::remove_all(folder);
}

TEST(MailTemplatesTests, ShareMailerKeepsSecretsOutOfTheLinkMail)
{
  SharingSettings config;
  config.publicUrl = "https://pacs.example.org";
  config.smtp.url = "smtp://127.0.0.1:2525";
  config.smtp.fromAddress = "noreply@example.org";
  config.smtp.fromName = "StudyShare";
  RecordingSender sender;
  ShareMailer mailer(config, MailTemplates::BuiltIn(), sender, [] { return int64_t{1767225600}; });

  ShareMail mail;
  mail.shareId = "share1";
  mail.to = "patient@example.com";
  mail.language = "fr";
  mail.link = kLink;
  mail.accessCode = "ABCDE-FGHJK-MNPQR";
  mail.password = "s3cret-pw";
  mail.senderName = "alice";
  ShareMailReport report = mailer.Send(mail);
  EXPECT_TRUE(report.sent);
  EXPECT_EQ("separately", report.accessCode);
  EXPECT_EQ("not-sent", report.password);
  ASSERT_EQ(2u, sender.messages.size());
  EXPECT_NE(std::string::npos, sender.messages[0].find("Content-Language: fr"));
  EXPECT_EQ(std::string::npos, sender.messages[0].find("ABCDE-FGHJK-MNPQR"));
  EXPECT_EQ(std::string::npos, sender.messages[0].find("s3cret-pw"));
  EXPECT_NE(std::string::npos, sender.messages[1].find("ABCDE-FGHJK-MNPQR"));
  EXPECT_EQ(std::string::npos, sender.messages[1].find("token=eyJ"));
  EXPECT_EQ(std::string::npos, sender.messages[1].find("s3cret-pw"));

  config.email.sendSecretsSeparately = false;
  sender.messages.clear();
  report = mailer.Send(mail);
  EXPECT_TRUE(report.sent);
  EXPECT_EQ("with-link", report.accessCode);
  EXPECT_EQ("with-link", report.password);
  ASSERT_EQ(1u, sender.messages.size());
  EXPECT_NE(std::string::npos, sender.messages[0].find("ABCDE-FGHJK-MNPQR"));

  sender.fail = true;
  report = mailer.Send(mail);
  EXPECT_FALSE(report.sent);
  EXPECT_NE(std::string::npos, report.error.find("cannot connect to smtp://127.0.0.1:1"));
  ASSERT_EQ(1u, report.messages.size());
  EXPECT_FALSE(report.messages[0].sent);
}
