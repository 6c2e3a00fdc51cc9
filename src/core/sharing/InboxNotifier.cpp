// SPDX-License-Identifier: GPL-3.0-or-later
#include "InboxNotifier.h"

#include "InboxSummary.h"
#include "MailMessage.h"

#include <nlohmann/json.hpp>

namespace studyshare
{
  namespace
  {
    using Json = nlohmann::json;

    // Entries older than this many intervals are forgotten, so the map stays small.
    constexpr int64_t kForgetAfterIntervals = 4;

    std::string HtmlEscaped(const std::string& text)
    {
      std::string out;
      for (const char c : text)
      {
        switch (c)
        {
          case '<':
            out += "&lt;";
            break;
          case '>':
            out += "&gt;";
            break;
          case '&':
            out += "&amp;";
            break;
          case '"':
            out += "&quot;";
            break;
          default:
            out += c;
        }
      }
      return out;
    }

    std::string Plural(int64_t n, const char* one, const char* many)
    {
      return std::to_string(n) + " " + (n == 1 ? one : many);
    }

    std::string Megabytes(int64_t bytes)
    {
      const int64_t tenths = (bytes * 10 + 512 * 1024) / (1024 * 1024);
      return std::to_string(tenths / 10) + "." + std::to_string(tenths % 10) + " MiB";
    }

    std::string RecipientName(const Share& inbox)
    {
      const Json recipient = Json::parse(inbox.recipientJson.empty() ? "{}" : inbox.recipientJson, nullptr, false);
      return recipient.is_object() && recipient.contains("Name") && recipient["Name"].is_string()
               ? recipient["Name"].get<std::string>()
               : "";
    }
  }

  InboxNotifier::InboxNotifier(const SharingSettings& config, IShareStore& store, ISmtpSender& sender,
                               std::function<int64_t()> clock)
    : config_(config), store_(store), sender_(sender), clock_(std::move(clock))
  {
  }

  std::string InboxNotifier::AddressOf(const std::string& creator) const
  {
    const auto found = config_.staffEmails.find(creator);
    return found != config_.staffEmails.end() ? found->second : config_.email.inboxNotifyAddress;
  }

  bool InboxNotifier::TakeSlot(const std::string& inboxId, int64_t now)
  {
    const int64_t interval = config_.email.inboxNotifyIntervalSeconds;
    std::lock_guard<std::mutex> lock(mutex_);
    for (auto it = lastSent_.begin(); it != lastSent_.end();)
    {
      it = now - it->second >= kForgetAfterIntervals * interval ? lastSent_.erase(it) : std::next(it);
    }
    const auto found = lastSent_.find(inboxId);
    if (found != lastSent_.end() && now - found->second < interval)
    {
      return false;
    }
    lastSent_[inboxId] = now;
    return true;
  }

  bool InboxNotifier::Notify(const std::string& inboxId, const Caller& caller)
  {
    const std::optional<Share> inbox = store_.Lookup(inboxId);
    if (!inbox || !inbox->IsInbox())
    {
      return false;
    }
    const std::string address = AddressOf(inbox->createdBy);
    const Json received = SummarizeReceived(store_.ListReceived(inboxId), false);
    if (address.empty() || received["Studies"].empty())
    {
      return false;
    }
    const int64_t now = clock_();
    // Taken before sending: a failed message also waits for the interval, so
    // an uploader cannot make the server hammer the SMTP relay.
    if (!TakeSlot(inboxId, now))
    {
      return false;
    }

    const std::string note = inbox->note.empty() ? "" : " (" + inbox->note + ")";
    const std::string from = RecipientName(*inbox);
    std::string text = "Files arrived in the inbox " + inbox->id + note +
                       (from.empty() ? "" : ", the link given to " + from) +
                       ".\r\n\r\nReceived so far: " + Plural(received["Studies"].size(), "study", "studies") + ", " +
                       Plural(received["Instances"].get<int64_t>(), "instance", "instances") + ", " +
                       Megabytes(received["Bytes"].get<int64_t>()) + ".\r\n";
    std::string html = "<p>Files arrived in the inbox <b>" + HtmlEscaped(inbox->id) + "</b>" + HtmlEscaped(note) +
                       (from.empty() ? "" : ", the link given to " + HtmlEscaped(from)) + ".</p><ul>";
    int index = 0;
    for (const Json& study : received["Studies"])
    {
      std::string modalities;
      for (const Json& modality : study["Modalities"])
      {
        modalities += (modalities.empty() ? "" : "/") + modality.get<std::string>();
      }
      const std::string line = "Study " + std::to_string(++index) + ": " +
                               (modalities.empty() ? std::string("no modality") : modalities) + ", " +
                               Plural(study["Instances"].get<int64_t>(), "instance", "instances") + ", " +
                               Megabytes(study["Bytes"].get<int64_t>());
      text += "  - " + line + "\r\n";
      html += "<li>" + HtmlEscaped(line) + "</li>";
    }
    const std::string page = config_.publicUrl + "/studyshare/staff/shares.html";
    text += "\r\nSign in to see what arrived and open it: " + page + "\r\n";
    html += "</ul><p>Sign in to see what arrived and open it: <a href=\"" + HtmlEscaped(page) + "\">" +
            HtmlEscaped(page) + "</a></p>";

    MailMessage message;
    message.from = {config_.smtp.fromName, config_.smtp.fromAddress};
    message.to = {"", address};
    message.subject = "Files received in inbox " + inbox->id;
    message.textBody = text;
    message.htmlBody = html;
    message.language = "en";
    message.date = now;
    message.messageId = MailMessage::NewMessageId(config_.smtp.fromAddress);
    try
    {
      sender_.Send(config_.smtp.fromAddress, {address}, message.Build());
    }
    catch (const std::exception& e)  // SmtpError, MailError
    {
      store_.AppendAudit(
        {inboxId, now, "notify", std::string("failed: ") + e.what(), "", caller.clientAddress, caller.userAgent});
      if (warn_)
      {
        warn_("StudyShare: the files-received e-mail of inbox " + inboxId + " was not sent: " + e.what());
      }
      return false;
    }
    store_.AppendAudit({inboxId, now, "notify", "sent to " + address, "", caller.clientAddress, caller.userAgent});
    return true;
  }
}
