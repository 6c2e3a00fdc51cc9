// SPDX-License-Identifier: GPL-3.0-or-later
#include "MailMessage.h"

#include <gtest/gtest.h>

using namespace studyshare;

namespace
{
  MailMessage Sample()
  {
    MailMessage message;
    message.from = {"StudyShare", "noreply@example.org"};
    message.to = {"", "patient@example.com"};
    message.subject = "Medical images shared with you";
    message.textBody = "Hello,\nOpen: https://pacs.example.org/share/#token=abc\n";
    message.htmlBody = "<p>Hello</p>";
    message.language = "en";
    message.date = 1767225600;  // 2026-01-01T00:00:00Z
    return message;
  }

  std::string HeaderBlock(const std::string& message)
  {
    return message.substr(0, message.find("\r\n\r\n") + 2);
  }

  std::string DecodeQuotedPrintable(const std::string& text)
  {
    std::string out;
    for (size_t i = 0; i < text.size(); i++)
    {
      if (text[i] == '=' && i + 2 < text.size() && text[i + 1] == '\r' && text[i + 2] == '\n')
      {
        i += 2;
      }
      else if (text[i] == '=' && i + 2 < text.size())
      {
        out += static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16));
        i += 2;
      }
      else
      {
        out += text[i];
      }
    }
    return out;
  }
}

TEST(MailMessageTests, AddressValidation)
{
  EXPECT_TRUE(IsValidMailAddress("patient@example.com"));
  EXPECT_TRUE(IsValidMailAddress("dr.martin+images@hopital-nord.fr"));
  EXPECT_TRUE(IsValidMailAddress("a@localhost"));
  EXPECT_FALSE(IsValidMailAddress(""));
  EXPECT_FALSE(IsValidMailAddress("no-at-sign.example.com"));
  EXPECT_FALSE(IsValidMailAddress("two@@example.com"));
  EXPECT_FALSE(IsValidMailAddress("a@b@example.com"));
  EXPECT_FALSE(IsValidMailAddress("a@example.com, b@example.com"));
  EXPECT_FALSE(IsValidMailAddress("a@example.com\r\nBcc: victim@example.com"));
  EXPECT_FALSE(IsValidMailAddress("a@example.com\nBcc: x@example.com"));
  EXPECT_FALSE(IsValidMailAddress("Name <a@example.com>"));
  EXPECT_FALSE(IsValidMailAddress("a b@example.com"));
  EXPECT_FALSE(IsValidMailAddress(".a@example.com"));
  EXPECT_FALSE(IsValidMailAddress("a..b@example.com"));
  EXPECT_FALSE(IsValidMailAddress("a@-example.com"));
  EXPECT_FALSE(IsValidMailAddress("a@example..com"));
  EXPECT_FALSE(IsValidMailAddress("pat\xC3\xA9@example.com"));
  EXPECT_FALSE(IsValidMailAddress(std::string(65, 'a') + "@example.com"));
  EXPECT_FALSE(IsValidMailAddress("a@" + std::string(250, 'b') + ".com"));
}

TEST(MailMessageTests, ParseMailbox)
{
  auto box = ParseMailbox("StudyShare <noreply@example.org>");
  ASSERT_TRUE(box);
  EXPECT_EQ("StudyShare", box->name);
  EXPECT_EQ("noreply@example.org", box->address);
  box = ParseMailbox("\"Radiology, North\" <rad@example.org>");
  ASSERT_TRUE(box);
  EXPECT_EQ("Radiology, North", box->name);
  box = ParseMailbox("noreply@example.org");
  ASSERT_TRUE(box);
  EXPECT_EQ("", box->name);
  EXPECT_FALSE(ParseMailbox("StudyShare <noreply@example.org"));
  EXPECT_FALSE(ParseMailbox("StudyShare"));
  EXPECT_FALSE(ParseMailbox("A\r\nBcc: x@example.org <noreply@example.org>"));
}

TEST(MailMessageTests, BuildsAMultipartAlternativeMessage)
{
  const std::string message = Sample().Build("=_b", "id1@example.org");
  const std::string headers = HeaderBlock(message);
  EXPECT_NE(std::string::npos, headers.find("Date: Thu, 01 Jan 2026 00:00:00 +0000\r\n"));
  EXPECT_NE(std::string::npos, headers.find("From: StudyShare <noreply@example.org>\r\n"));
  EXPECT_NE(std::string::npos, headers.find("To: patient@example.com\r\n"));
  EXPECT_NE(std::string::npos, headers.find("Subject: Medical images shared with you\r\n"));
  EXPECT_NE(std::string::npos, headers.find("Message-ID: <id1@example.org>\r\n"));
  EXPECT_NE(std::string::npos, headers.find("MIME-Version: 1.0\r\n"));
  EXPECT_NE(std::string::npos, headers.find("Content-Language: en\r\n"));
  EXPECT_NE(std::string::npos, headers.find("Content-Type: multipart/alternative; boundary=\"=_b\"\r\n"));
  EXPECT_NE(std::string::npos, message.find("--=_b\r\nContent-Type: text/plain; charset=UTF-8\r\n"
                                            "Content-Transfer-Encoding: quoted-printable\r\n\r\n"));
  EXPECT_NE(std::string::npos, message.find("--=_b\r\nContent-Type: text/html; charset=UTF-8\r\n"));
  EXPECT_NE(std::string::npos, message.find("\r\n--=_b--\r\n"));
  // Every line ends in CRLF, none is longer than 78 characters, no bare LF.
  size_t start = 0;
  while (start < message.size())
  {
    const size_t end = message.find("\r\n", start);
    ASSERT_NE(std::string::npos, end);
    const std::string line = message.substr(start, end - start);
    EXPECT_EQ(std::string::npos, line.find('\n')) << line;
    EXPECT_LE(line.size(), 78u) << line;
    start = end + 2;
  }
  // text/plain before text/html (the last alternative is preferred).
  EXPECT_LT(message.find("text/plain"), message.find("text/html"));
}

TEST(MailMessageTests, GeneratedBoundaryAndMessageIdAreUnique)
{
  const MailMessage message = Sample();
  const std::string a = message.Build();
  const std::string b = message.Build();
  EXPECT_NE(a, b);
  EXPECT_NE(std::string::npos, a.find("@example.org>\r\n"));
  const std::string id = MailMessage::NewMessageId("noreply@hospital.example");
  EXPECT_NE(std::string::npos, id.find("@hospital.example"));
}

TEST(MailMessageTests, RefusesHeaderInjection)
{
  for (const std::string& evil :
       std::vector<std::string>{"Hello\r\nBcc: victim@example.com", "Hello\nBcc: victim@example.com",
                                "Hello\rBcc: victim@example.com", std::string("Hello\0X", 7)})
  {
    MailMessage message = Sample();
    message.subject = evil;
    EXPECT_THROW(message.Build(), MailError) << "subject";
    message = Sample();
    message.to.address = "patient@example.com" + evil.substr(5);
    EXPECT_THROW(message.Build(), MailError) << "to address";
    message = Sample();
    message.to.name = evil;
    EXPECT_THROW(message.Build(), MailError) << "to name";
    message = Sample();
    message.from.address = "noreply@example.org" + evil.substr(5);
    EXPECT_THROW(message.Build(), MailError) << "from address";
    message = Sample();
    message.from.name = evil;
    EXPECT_THROW(message.Build(), MailError) << "from name";
  }
  MailMessage message = Sample();
  message.to.address = "a@example.com, b@example.com";
  EXPECT_THROW(message.Build(), MailError);
  message = Sample();
  message.to.address = "";
  EXPECT_THROW(message.Build(), MailError);
}

TEST(MailMessageTests, NonAsciiSubjectIsAnEncodedWord)
{
  MailMessage message = Sample();
  message.subject = "Des images médicales ont été partagées avec vous";
  const std::string headers = HeaderBlock(message.Build("=_b", "x@example.org"));
  const size_t subject = headers.find("Subject: =?UTF-8?B?");
  ASSERT_NE(std::string::npos, subject);
  // Decode the encoded words back.
  std::string decoded;
  size_t at = subject;
  const size_t end = headers.find("\r\nMessage-ID:");
  while ((at = headers.find("=?UTF-8?B?", at)) != std::string::npos && at < end)
  {
    const size_t close = headers.find("?=", at + 10);
    const std::string b64 = headers.substr(at + 10, close - at - 10);
    EXPECT_LE(close + 2 - at, 75u);
    static const std::string kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    uint32_t buffer = 0;
    int bits = 0;
    for (char c : b64)
    {
      if (c == '=')
      {
        break;
      }
      buffer = (buffer << 6) | static_cast<uint32_t>(kAlphabet.find(c));
      bits += 6;
      if (bits >= 8)
      {
        bits -= 8;
        decoded += static_cast<char>((buffer >> bits) & 0xFF);
      }
    }
    at = close + 2;
  }
  EXPECT_EQ(message.subject, decoded);
}

TEST(MailMessageTests, EncodedWordsNeverSplitACharacter)
{
  const std::string text = "ééééééééééééééééééééééééééééééééééééééééééééééé";  // 2-byte characters
  const std::string encoded = EncodeHeaderText(text, 9);
  EXPECT_NE(std::string::npos, encoded.find("\r\n =?UTF-8?B?"));  // folded into several words
  // 39-byte chunks of 2-byte characters: each word holds 38 bytes (19 characters).
  EXPECT_EQ(0u, encoded.find("=?UTF-8?B?" + Base64Encode(text.substr(0, 38)) + "?="));
}

TEST(MailMessageTests, NonAsciiDisplayNameIsEncoded)
{
  EXPECT_EQ("=?UTF-8?B?" + Base64Encode("Hôpital") + "?= <a@example.org>", FormatMailbox({"Hôpital", "a@example.org"}));
  EXPECT_EQ("\"Radiology, North\" <a@example.org>", FormatMailbox({"Radiology, North", "a@example.org"}));
  EXPECT_EQ("a@example.org", FormatMailbox({"", "a@example.org"}));
}

TEST(MailMessageTests, LongAsciiSubjectIsFolded)
{
  std::string subject;
  for (int i = 0; i < 20; i++)
  {
    subject += "word" + std::to_string(i) + " ";
  }
  subject += "end";
  const std::string encoded = EncodeHeaderText(subject, 9);
  EXPECT_NE(std::string::npos, encoded.find("\r\n "));
  std::string unfolded = encoded;
  size_t at;
  while ((at = unfolded.find("\r\n")) != std::string::npos)
  {
    unfolded.erase(at, 2);
  }
  EXPECT_EQ(subject, unfolded);
}

TEST(MailMessageTests, Base64)
{
  EXPECT_EQ("", Base64Encode(""));
  EXPECT_EQ("Zg==", Base64Encode("f"));
  EXPECT_EQ("Zm8=", Base64Encode("fo"));
  EXPECT_EQ("Zm9v", Base64Encode("foo"));
  EXPECT_EQ("Zm9vYmFy", Base64Encode("foobar"));
}

TEST(MailMessageTests, QuotedPrintable)
{
  EXPECT_EQ("caf=C3=A9", QuotedPrintableEncode("café"));
  EXPECT_EQ("a=3Db", QuotedPrintableEncode("a=b"));
  EXPECT_EQ("line1\r\nline2", QuotedPrintableEncode("line1\nline2"));
  EXPECT_EQ("line1\r\nline2", QuotedPrintableEncode("line1\r\nline2"));
  EXPECT_EQ("trailing=20\r\nx", QuotedPrintableEncode("trailing \nx"));
  EXPECT_EQ("end=09", QuotedPrintableEncode("end\t"));
  EXPECT_EQ("=2E\r\n=2Edot", QuotedPrintableEncode(".\n.dot"));
  const std::string longLine(200, 'x');
  const std::string encoded = QuotedPrintableEncode(longLine);
  size_t start = 0;
  while (start < encoded.size())
  {
    size_t end = encoded.find("\r\n", start);
    if (end == std::string::npos)
    {
      end = encoded.size();
    }
    EXPECT_LE(end - start, 76u);
    start = end + 2;
  }
  EXPECT_EQ(longLine, DecodeQuotedPrintable(encoded));
  const std::string url = "https://pacs.example.org/share/#token=eyJhbGciOiJIUzI1NiJ9.eyJqdGkiOiJhYmMifQ.sig-_x";
  EXPECT_EQ(url, DecodeQuotedPrintable(QuotedPrintableEncode(url)));
}

TEST(MailMessageTests, Rfc5322Date)
{
  EXPECT_EQ("Thu, 01 Jan 1970 00:00:00 +0000", FormatRfc5322Date(0));
  EXPECT_EQ("Sat, 31 Jan 2026 18:05:09 +0000", FormatRfc5322Date(1769882709));
}
