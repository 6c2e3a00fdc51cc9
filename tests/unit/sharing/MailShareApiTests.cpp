// SPDX-License-Identifier: GPL-3.0-or-later
// Share e-mails through ShareApi::Create and the Smtp / Email configuration.
#include "ShareApi.h"

#include "ShareMailer.h"
#include "SqliteShareStore.h"
#include "StudyShareConfig.h"
#include "TestSupport.h"

#include <gtest/gtest.h>

using namespace studyshare;
using namespace studyshare::test;
using Json = nlohmann::json;

namespace
{
  struct FakeSender : ISmtpSender
  {
    std::vector<std::string> messages;
    std::vector<std::string> recipients;
    bool fail = false;
    void Send(const std::string&, const std::vector<std::string>& to, const std::string& message) override
    {
      if (fail)
      {
        throw SmtpError("cannot connect to smtp://127.0.0.1:9 (Connection refused)");
      }
      recipients.insert(recipients.end(), to.begin(), to.end());
      messages.push_back(message);
    }
  };

  class MailShareApiTests : public ::testing::Test
  {
  protected:
    MailShareApiTests()
    {
      keys.AddHmacKey("k1", kSecret);
      keys.SetSigningKey("k1");
      config.publicUrl = "https://share.example.org";
      config.smtp.url = "smtp://127.0.0.1:2525";
      config.smtp.fromAddress = "noreply@example.org";
      catalog.Add(kStudyA, kStudyUidA);
      api.SetMailer(&mailer);
    }

    ApiResponse Create(const std::string& extra)
    {
      return api.Create(R"({"Resources": [{"Level": "Study", "OrthancId": ")" + kStudyA +
                          R"("}], "ValidityDuration": 3600)" + extra + "}",
                        {{"alice", StaffRole::Sharer}, "192.0.2.1", "unit-test"});
    }

    size_t StoredShares() { return store.List({}).size(); }

    TempDir dir;
    SqliteShareStore store{dir.File("shares.db")};
    FakeCatalog catalog;
    KeyRing keys;
    StudyShareConfig config;
    TokenSigner signer{keys};
    FakeSender sender;
    ShareMailer mailer{config, MailTemplates::BuiltIn(), sender, [] { return kNow; }};
    ShareApi api{config, store, catalog, signer, [] { return kNow; }};
  };

  std::string ConfigError(const Json& section)
  {
    try
    {
      StudyShareConfig::Parse(Json{{"StudyShare", section}});
    }
    catch (const ConfigurationError& e)
    {
      return e.what();
    }
    return "accepted";
  }
}

TEST_F(MailShareApiTests, SendsTheLinkAndAuditsIt)
{
  const ApiResponse response = Create(R"(, "Recipient": {"Email": "p@example.com", "Language": "es"})");
  ASSERT_EQ(201, response.status) << response.body.dump();
  EXPECT_EQ(true, response.body["Email"]["Sent"]);
  EXPECT_EQ("es", response.body["Email"]["Language"]);
  ASSERT_EQ(1u, sender.messages.size());
  EXPECT_EQ("p@example.com", sender.recipients.at(0));
  // The URL is quoted-printable encoded in the body; '=' becomes "=3D".
  std::string url = response.body["Url"];
  url.replace(url.find('='), 1, "=3D");
  EXPECT_NE(std::string::npos, sender.messages[0].find(url.substr(0, 60)));
  bool audited = false;
  for (const AuditEvent& event : store.ListAudit(response.body["ID"]))
  {
    audited = audited || (event.event == "email" && event.outcome == "success" && event.actor == "alice");
  }
  EXPECT_TRUE(audited);
}

TEST_F(MailShareApiTests, SmtpFailureKeepsTheShare)
{
  sender.fail = true;
  const ApiResponse response = Create(R"(, "Recipient": {"Email": "p@example.com"}, "AccessCode": true)");
  ASSERT_EQ(201, response.status);
  EXPECT_EQ(false, response.body["Email"]["Sent"]);
  EXPECT_NE(std::string::npos, response.body["Email"]["Error"].get<std::string>().find("cannot connect to"));
  EXPECT_EQ("not-sent", response.body["Email"]["AccessCode"]);
  EXPECT_TRUE(store.Lookup(response.body["ID"]));
  bool audited = false;
  for (const AuditEvent& event : store.ListAudit(response.body["ID"]))
  {
    audited = audited || (event.event == "email" && event.outcome == "failure");
  }
  EXPECT_TRUE(audited);
}

TEST_F(MailShareApiTests, BadRecipientIs400AndNothingIsStoredOrSent)
{
  for (const std::string extra :
       {R"(, "Recipient": {"Email": "a@example.com\r\nBcc: b@example.com"})",
        R"(, "Recipient": {"Email": "a@example.com, b@example.com"})", R"(, "Recipient": {"Email": "nobody"})",
        R"(, "Recipient": {"Email": "a@example.com", "Language": "it"})",
        R"(, "Recipient": {"Email": "a@example.com", "Name": "x\ny"})", R"(, "SendEmail": true)",
        R"(, "Recipient": {"Email": "a@example.com"}, "SendEmail": 1)"})
  {
    const ApiResponse response = Create(extra);
    EXPECT_EQ(400, response.status) << extra;
  }
  EXPECT_EQ(0u, StoredShares());
  EXPECT_TRUE(sender.messages.empty());
}

TEST_F(MailShareApiTests, SendEmailFalseAndNoMailer)
{
  ApiResponse response = Create(R"(, "Recipient": {"Email": "a@example.com"}, "SendEmail": false)");
  ASSERT_EQ(201, response.status);
  EXPECT_FALSE(response.body.contains("Email"));
  EXPECT_TRUE(sender.messages.empty());

  api.SetMailer(nullptr);
  response = Create(R"(, "Recipient": {"Email": "a@example.com"}, "SendEmail": true)");
  EXPECT_EQ(400, response.status);
  EXPECT_NE(std::string::npos, response.body["Message"].get<std::string>().find("StudyShare.Smtp"));
  response = Create(R"(, "Recipient": {"Email": "a@example.com"})");
  ASSERT_EQ(201, response.status);
  EXPECT_EQ(false, response.body["Email"]["Sent"]);
  EXPECT_EQ(2u, StoredShares());  // the 400 stored nothing
}

TEST(MailConfigTests, ParsesSmtpAndEmail)
{
  const StudyShareConfig config =
    StudyShareConfig::Parse(Json{{"StudyShare",
                                  {{"Smtp",
                                    {{"Url", "smtps://mail.example.org:465"},
                                     {"From", "Hôpital <noreply@example.org>"},
                                     {"Username", "u"},
                                     {"Password", "p"},
                                     {"StartTls", "required"},
                                     {"TimeoutSeconds", 30}}},
                                   {"Email", {{"SendSecretsSeparately", false}, {"DefaultLanguage", "de"}}}}}});
  EXPECT_TRUE(config.smtp.Configured());
  EXPECT_EQ("noreply@example.org", config.smtp.fromAddress);
  EXPECT_EQ("Hôpital", config.smtp.fromName);
  EXPECT_EQ(StartTlsPolicy::Required, config.smtp.startTls);
  EXPECT_EQ(30, config.smtp.timeoutSeconds);
  EXPECT_FALSE(config.email.sendSecretsSeparately);
  EXPECT_EQ("de", config.email.defaultLanguage);

  const StudyShareConfig defaults = StudyShareConfig::Parse(Json::object());
  EXPECT_FALSE(defaults.smtp.Configured());
  EXPECT_TRUE(defaults.email.sendSecretsSeparately);
  EXPECT_EQ("en", defaults.email.defaultLanguage);
}

TEST(MailConfigTests, RejectsBadValuesNamingTheKey)
{
  const Json from = "StudyShare <noreply@example.org>";
  const std::pair<Json, std::string> cases[] = {
    {{{"Smtp", {{"From", from}}}}, "StudyShare.Smtp.Url"},
    {{{"Smtp", {{"Url", "http://mail"}, {"From", from}}}}, "StudyShare.Smtp.Url"},
    {{{"Smtp", {{"Url", "smtp://user:pw@mail"}, {"From", from}}}}, "StudyShare.Smtp.Url"},
    {{{"Smtp", {{"Url", "smtp://"}, {"From", from}}}}, "StudyShare.Smtp.Url"},
    {{{"Smtp", {{"Url", "smtp://mail"}}}}, "StudyShare.Smtp.From"},
    {{{"Smtp", {{"Url", "smtp://mail"}, {"From", "a\r\nBcc: b@example.org"}}}}, "StudyShare.Smtp.From"},
    {{{"Smtp", {{"Url", "smtp://mail"}, {"From", from}, {"StartTls", "maybe"}}}}, "StudyShare.Smtp.StartTls"},
    {{{"Smtp", {{"Url", "smtp://mail"}, {"From", from}, {"TimeoutSeconds", 0}}}}, "StudyShare.Smtp.TimeoutSeconds"},
    {{{"Smtp", {{"Url", "smtp://mail"}, {"From", from}, {"TimeoutSeconds", "10"}}}}, "StudyShare.Smtp.TimeoutSeconds"},
    {{{"Smtp", {{"Url", "smtp://mail"}, {"From", from}, {"Username", "u"}}}}, "StudyShare.Smtp.Username"},
    {{{"Smtp", {{"Url", "smtp://mail"}, {"From", from}, {"Host", "mail"}}}}, "StudyShare.Smtp.Host"},
    {{{"Smtp", "smtp://mail"}}, "StudyShare.Smtp"},
    {{{"Email", {{"DefaultLanguage", "it"}}}}, "StudyShare.Email.DefaultLanguage"},
    {{{"Email", {{"SendSecretsSeparately", "yes"}}}}, "StudyShare.Email.SendSecretsSeparately"},
    {{{"Email", {{"TemplatesFolder", "/nonexistent/studyshare"}}}}, "StudyShare.Email.TemplatesFolder"},
    {{{"Email", {{"Templates", "x"}}}}, "StudyShare.Email.Templates"},
  };
  for (const auto& [section, key] : cases)
  {
    const std::string error = ConfigError(section);
    EXPECT_NE(std::string::npos, error.find(key)) << section.dump() << " -> " << error;
  }
}

TEST_F(MailShareApiTests, TheAccessCodeNamesThePageWhereItIsTyped)
{
  for (const bool separately : {false, true})
  {
    config.email.sendSecretsSeparately = separately;
    sender.messages.clear();
    const ApiResponse response =
      Create(R"(, "AccessCode": true, "Recipient": {"Email": "p@example.com", "Language": "en"})");
    ASSERT_EQ(201, response.status) << response.body.dump();
    EXPECT_EQ("https://share.example.org/share/", response.body["CodePageUrl"]);
    // The message carrying the code (the link's, or its own) says where to type it.
    const std::string& withCode = sender.messages.back();
    std::string text;
    for (size_t i = 0; i < withCode.size(); ++i)
    {
      if (withCode.compare(i, 3, "=\r\n") == 0)
      {
        i += 2;  // a quoted-printable soft line break
      }
      else
      {
        text.push_back(withCode[i]);
      }
    }
    EXPECT_NE(std::string::npos, text.find(response.body["AccessCode"].get<std::string>())) << separately;
    const char* phrase =
      separately ? "or here:\r\nhttps://share.example.org/share/\r\n" : "or at https://share.example.org/share/\r\n";
    EXPECT_NE(std::string::npos, text.find(phrase)) << text;
  }
}
