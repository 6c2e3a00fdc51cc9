// SPDX-License-Identifier: GPL-3.0-or-later
#include "EmailCodeMailer.h"

#include "MailMessage.h"
#include "MailTemplates.h"

#include <nlohmann/json.hpp>

namespace studyshare
{
  namespace
  {
    struct CodeWords
    {
      const char* subject;
      const char* intro;     // before the code
      const char* validity;  // {minutes}
      const char* ignore;
    };

    const CodeWords& WordsFor(const std::string& language)
    {
      static const CodeWords en = {"Your code to open the shared images",
                                   "Your code to open the shared images is:", "It works for {minutes} minutes, once.",
                                   "If you did not try to open shared images, you can ignore this message."};
      static const CodeWords fr = {
        "Votre code pour ouvrir les images partagées",
        "Votre code pour ouvrir les images partagées est :", "Il est valable {minutes} minutes, une seule fois.",
        "Si vous n'avez pas essayé d'ouvrir des images partagées, ignorez ce message."};
      static const CodeWords de = {
        "Ihr Code zum Öffnen der geteilten Bilder",
        "Ihr Code zum Öffnen der geteilten Bilder lautet:", "Er gilt {minutes} Minuten lang, einmal.",
        "Wenn Sie nicht versucht haben, geteilte Bilder zu öffnen, ignorieren Sie diese "
        "Nachricht."};
      static const CodeWords es = {
        "Su código para abrir las imágenes compartidas",
        "Su código para abrir las imágenes compartidas es:", "Es válido durante {minutes} minutos, una sola vez.",
        "Si no intentó abrir imágenes compartidas, puede ignorar este mensaje."};
      return language == "fr" ? fr : language == "de" ? de : language == "es" ? es : en;
    }

    std::string WithMinutes(const char* text, int64_t minutes)
    {
      std::string out = text;
      const size_t at = out.find("{minutes}");
      return at == std::string::npos ? out : out.replace(at, 9, std::to_string(minutes));
    }
  }

  EmailCodeMailer::EmailCodeMailer(const SharingSettings& config, ISmtpSender& sender, std::function<int64_t()> clock,
                                   int64_t validitySeconds)
    : config_(config), sender_(sender), clock_(std::move(clock)), validityMinutes_(validitySeconds / 60)
  {
  }

  bool EmailCodeMailer::Send(const Share& share, const std::string& code) const
  {
    const nlohmann::json recipient = nlohmann::json::parse(share.recipientJson, nullptr, false);
    if (!recipient.is_object() || !recipient.contains("Email") || !recipient["Email"].is_string())
    {
      return false;
    }
    std::string language = config_.email.defaultLanguage;
    if (recipient.contains("Language") && recipient["Language"].is_string())
    {
      language = MailTemplates::NormalizeLanguage(recipient["Language"].get<std::string>()).value_or(language);
    }
    const CodeWords& words = WordsFor(language);
    const std::string validity = WithMinutes(words.validity, validityMinutes_);
    MailMessage message;
    message.from = {config_.smtp.fromName, config_.smtp.fromAddress};
    message.to = {recipient.value("Name", std::string()), recipient["Email"].get<std::string>()};
    message.subject = words.subject;
    message.textBody =
      std::string(words.intro) + "\r\n\r\n    " + code + "\r\n\r\n" + validity + "\r\n\r\n" + words.ignore + "\r\n";
    message.htmlBody = "<p>" + std::string(words.intro) +
                       "</p><p style=\"font-size:28px;font-weight:700;letter-spacing:4px\">" + code + "</p><p>" +
                       validity + "</p><p>" + words.ignore + "</p>";
    message.language = language;
    message.date = clock_();
    message.messageId = MailMessage::NewMessageId(config_.smtp.fromAddress);
    try
    {
      sender_.Send(config_.smtp.fromAddress, {message.to.address}, message.Build());
      return true;
    }
    catch (const std::exception& e)  // SmtpError, MailError: neither holds the code
    {
      if (warn_)
      {
        warn_("StudyShare: the opening-code e-mail of share " + share.id + " was not sent: " + e.what());
      }
      return false;
    }
  }
}
