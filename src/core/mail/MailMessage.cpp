// SPDX-License-Identifier: GPL-3.0-or-later
#include "MailMessage.h"

#include "Crypto.h"
#include "TextUtilities.h"

#include <ctime>

namespace studyshare
{
  namespace
  {
    constexpr size_t kMaxAddressBytes = 254;
    constexpr size_t kMaxLocalBytes = 64;
    constexpr size_t kMaxHeaderTextBytes = 900;

    bool IsAtext(char c)
    {
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
      {
        return true;
      }
      return std::string_view("!#$%&'*+-/=?^_`{|}~").find(c) != std::string_view::npos;
    }

    bool IsValidLocalPart(std::string_view local)
    {
      if (local.empty() || local.size() > kMaxLocalBytes || local.front() == '.' || local.back() == '.')
      {
        return false;
      }
      char previous = 0;
      for (char c : local)
      {
        if (c == '.' ? previous == '.' : !IsAtext(c))
        {
          return false;
        }
        previous = c;
      }
      return true;
    }

    bool IsValidDomain(std::string_view domain)
    {
      if (domain.empty() || domain.size() > 253)
      {
        return false;
      }
      for (const std::string& label : Split(domain, '.'))
      {
        if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-')
        {
          return false;
        }
        for (char c : label)
        {
          if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'))
          {
            return false;
          }
        }
      }
      return true;
    }

    bool HasLineBreakOrNul(std::string_view text)
    {
      return text.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos;
    }

    bool IsPlainAscii(std::string_view text)
    {
      for (unsigned char c : text)
      {
        if (c < 0x20 || c >= 0x7f)
        {
          return false;
        }
      }
      return true;
    }

    // Splits UTF-8 text into chunks of at most `limit` bytes, never inside a character.
    std::vector<std::string> SplitUtf8(std::string_view text, size_t limit)
    {
      std::vector<std::string> chunks;
      size_t start = 0;
      while (start < text.size())
      {
        size_t end = std::min(text.size(), start + limit);
        while (end < text.size() && end > start + 1 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80)
        {
          end--;
        }
        chunks.emplace_back(text.substr(start, end - start));
        start = end;
      }
      return chunks;
    }

    void CheckHeaderValue(std::string_view value, const char* what)
    {
      if (HasLineBreakOrNul(value))
      {
        throw MailError(std::string("the e-mail ") + what + " must not contain a line break");
      }
      if (value.size() > kMaxHeaderTextBytes)
      {
        throw MailError(std::string("the e-mail ") + what + " is too long");
      }
    }

    void CheckMailbox(const Mailbox& mailbox, const char* what)
    {
      CheckHeaderValue(mailbox.name, what);
      if (HasLineBreakOrNul(mailbox.address) || !IsValidMailAddress(mailbox.address))
      {
        throw MailError(std::string("the ") + what + " address is not a valid e-mail address");
      }
    }

    std::string BodyPart(const std::string& boundary, const char* type, std::string_view body)
    {
      return "--" + boundary + "\r\nContent-Type: " + type +
             "; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" + QuotedPrintableEncode(body) +
             "\r\n";
    }
  }

  bool IsValidMailAddress(std::string_view address)
  {
    if (address.empty() || address.size() > kMaxAddressBytes)
    {
      return false;
    }
    const size_t at = address.find('@');
    if (at == std::string_view::npos || address.find('@', at + 1) != std::string_view::npos)
    {
      return false;
    }
    return IsValidLocalPart(address.substr(0, at)) && IsValidDomain(address.substr(at + 1));
  }

  std::optional<Mailbox> ParseMailbox(std::string_view text)
  {
    const std::string trimmed = Trim(text);
    if (HasLineBreakOrNul(trimmed))
    {
      return std::nullopt;
    }
    Mailbox mailbox;
    const size_t open = trimmed.rfind('<');
    if (open == std::string::npos)
    {
      mailbox.address = trimmed;
    }
    else
    {
      if (trimmed.back() != '>')
      {
        return std::nullopt;
      }
      mailbox.address = trimmed.substr(open + 1, trimmed.size() - open - 2);
      mailbox.name = Trim(std::string_view(trimmed).substr(0, open));
      if (mailbox.name.size() >= 2 && mailbox.name.front() == '"' && mailbox.name.back() == '"')
      {
        mailbox.name = mailbox.name.substr(1, mailbox.name.size() - 2);
      }
    }
    if (!IsValidMailAddress(mailbox.address) || mailbox.name.find_first_of("<>\"\\") != std::string::npos)
    {
      return std::nullopt;
    }
    return mailbox;
  }

  std::string Base64Encode(std::string_view bytes)
  {
    static const char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    size_t i = 0;
    for (; i + 2 < bytes.size(); i += 3)
    {
      const uint32_t n = (static_cast<unsigned char>(bytes[i]) << 16) |
                         (static_cast<unsigned char>(bytes[i + 1]) << 8) | static_cast<unsigned char>(bytes[i + 2]);
      out += kAlphabet[(n >> 18) & 63];
      out += kAlphabet[(n >> 12) & 63];
      out += kAlphabet[(n >> 6) & 63];
      out += kAlphabet[n & 63];
    }
    if (i < bytes.size())
    {
      uint32_t n = static_cast<unsigned char>(bytes[i]) << 16;
      if (i + 1 < bytes.size())
      {
        n |= static_cast<unsigned char>(bytes[i + 1]) << 8;
      }
      out += kAlphabet[(n >> 18) & 63];
      out += kAlphabet[(n >> 12) & 63];
      out += i + 1 < bytes.size() ? kAlphabet[(n >> 6) & 63] : '=';
      out += '=';
    }
    return out;
  }

  std::string QuotedPrintableEncode(std::string_view text)
  {
    static const char kHex[] = "0123456789ABCDEF";
    std::string out;
    size_t lineLength = 0;
    auto append = [&](const std::string& piece)
    {
      // Soft line break so that no encoded line exceeds 76 characters.
      if (lineLength + piece.size() > 75)
      {
        out += "=\r\n";
        lineLength = 0;
      }
      out += piece;
      lineLength += piece.size();
    };
    for (size_t i = 0; i < text.size(); i++)
    {
      const unsigned char c = static_cast<unsigned char>(text[i]);
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n')
      {
        continue;  // CRLF and LF both become CRLF
      }
      if (c == '\n')
      {
        out += "\r\n";
        lineLength = 0;
        continue;
      }
      const bool atLineEnd = i + 1 == text.size() || text[i + 1] == '\n' || text[i + 1] == '\r';
      const bool plain = (c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !atLineEnd);
      // A leading dot is encoded too, so no SMTP relay can mistake it for the end of data.
      if (plain && !(c == '.' && lineLength == 0))
      {
        append(std::string(1, static_cast<char>(c)));
      }
      else
      {
        append(std::string{'=', kHex[c >> 4], kHex[c & 15]});
      }
    }
    return out;
  }

  std::string EncodeHeaderText(std::string_view text, size_t used)
  {
    if (IsPlainAscii(text) && used + text.size() <= 78)
    {
      return std::string(text);
    }
    if (IsPlainAscii(text))
    {
      // Fold long ASCII text at spaces.
      std::string out;
      size_t lineLength = used;
      for (const std::string& word : Split(text, ' '))
      {
        if (!out.empty() && lineLength + 1 + word.size() > 78)
        {
          out += "\r\n";
          lineLength = 0;
        }
        if (!out.empty() || lineLength != used)
        {
          out += ' ';
          lineLength++;
        }
        out += word;
        lineLength += word.size();
      }
      return out;
    }
    // RFC 2047 B encoding; 39 bytes make 52 base64 characters, so each
    // encoded-word stays well under 75 characters and each line under 78.
    std::string out;
    for (const std::string& chunk : SplitUtf8(text, 39))
    {
      if (!out.empty())
      {
        out += "\r\n ";
      }
      out += "=?UTF-8?B?" + Base64Encode(chunk) + "?=";
    }
    return out;
  }

  std::string FormatMailbox(const Mailbox& mailbox)
  {
    if (mailbox.name.empty())
    {
      return mailbox.address;
    }
    std::string name;
    if (!IsPlainAscii(mailbox.name))
    {
      name = EncodeHeaderText(mailbox.name, 78);  // always encoded-words
      if (name.rfind("=?", 0) != 0)
      {
        name = "=?UTF-8?B?" + Base64Encode(mailbox.name) + "?=";
      }
    }
    else if (mailbox.name.find_first_of("()<>[]:;@\\,.\"") != std::string::npos)
    {
      name = "\"";
      for (char c : mailbox.name)
      {
        if (c == '"' || c == '\\')
        {
          name += '\\';
        }
        name += c;
      }
      name += '"';
    }
    else
    {
      name = mailbox.name;
    }
    return name + " <" + mailbox.address + ">";
  }

  std::string FormatRfc5322Date(int64_t secondsSinceEpoch)
  {
    static const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const time_t t = static_cast<time_t>(secondsSinceEpoch);
    struct tm parts = {};
    gmtime_r(&t, &parts);
    char buffer[64];
    snprintf(buffer, sizeof(buffer), "%s, %02d %s %04d %02d:%02d:%02d +0000", kDays[parts.tm_wday], parts.tm_mday,
             kMonths[parts.tm_mon], parts.tm_year + 1900, parts.tm_hour, parts.tm_min, parts.tm_sec);
    return buffer;
  }

  std::string MailMessage::NewMessageId(const std::string& fromAddress)
  {
    const size_t at = fromAddress.find('@');
    const std::string domain = at == std::string::npos ? "studyshare.invalid" : fromAddress.substr(at + 1);
    return crypto::RandomId(18) + ".studyshare@" + domain;
  }

  std::string MailMessage::Build() const
  {
    const std::string boundary = "=_StudyShare_" + crypto::Sha256Hex(crypto::RandomBytes(16)).substr(0, 32);
    return Build(boundary, messageId.empty() ? NewMessageId(from.address) : messageId);
  }

  std::string MailMessage::Build(const std::string& boundary, const std::string& id) const
  {
    CheckMailbox(from, "sender");
    CheckMailbox(to, "recipient");
    CheckHeaderValue(subject, "subject");
    CheckHeaderValue(id, "message identifier");
    CheckHeaderValue(boundary, "boundary");
    if (id.find_first_of("<> ") != std::string::npos || id.find('@') == std::string::npos)
    {
      throw MailError("the e-mail message identifier is malformed");
    }
    if (!language.empty() && !IsPlainAscii(language))
    {
      throw MailError("the e-mail language is malformed");
    }
    if (textBody.find(boundary) != std::string::npos || htmlBody.find(boundary) != std::string::npos)
    {
      throw MailError("the e-mail boundary occurs in the body");
    }

    std::string message;
    message += "Date: " + FormatRfc5322Date(date) + "\r\n";
    message += "From: " + FormatMailbox(from) + "\r\n";
    message += "To: " + FormatMailbox(to) + "\r\n";
    message += "Subject: " + EncodeHeaderText(subject, 9) + "\r\n";
    message += "Message-ID: <" + id + ">\r\n";
    message += "MIME-Version: 1.0\r\n";
    if (!language.empty())
    {
      message += "Content-Language: " + language + "\r\n";
    }
    message += "Content-Type: multipart/alternative; boundary=\"" + boundary + "\"\r\n";
    message += "\r\n";
    message += "This is a MIME message with a text and an HTML version.\r\n";
    message += BodyPart(boundary, "text/plain", textBody);
    message += BodyPart(boundary, "text/html", htmlBody);
    message += "--" + boundary + "--\r\n";
    return message;
  }
}
