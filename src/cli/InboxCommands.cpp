// SPDX-License-Identifier: GPL-3.0-or-later
#include "InboxCommands.h"

#include "Display.h"
#include "QrTerminal.h"

#include <ctime>
#include <iostream>
#include <limits>

namespace studyshare::cli
{
  namespace
  {
    using Json = nlohmann::json;

    long long LimitOf(const Json& share, const char* key)
    {
      return share.contains(key) && share[key].is_number_integer() ? share[key].get<long long>() : 0;
    }
  }

  long long ParseByteSize(const std::string& text, const std::string& option)
  {
    size_t digits = 0;
    while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9')
    {
      ++digits;
    }
    const std::string usage = option + " must be a number of bytes, optionally followed by K, M, G or T (e.g. 4G)";
    if (digits == 0 || digits > 15)
    {
      throw UsageError(usage);
    }
    std::string unit = text.substr(digits);
    for (const char* suffix : {"iB", "B"})
    {
      const std::string ending(suffix);
      if (unit.size() >= ending.size() && unit.compare(unit.size() - ending.size(), ending.size(), ending) == 0)
      {
        unit.resize(unit.size() - ending.size());
        break;
      }
    }
    int shift = 0;
    if (unit == "K" || unit == "k")
    {
      shift = 10;
    }
    else if (unit == "M" || unit == "m")
    {
      shift = 20;
    }
    else if (unit == "G" || unit == "g")
    {
      shift = 30;
    }
    else if (unit == "T" || unit == "t")
    {
      shift = 40;
    }
    else if (!unit.empty())
    {
      throw UsageError(usage);
    }
    const long long number = std::stoll(text.substr(0, digits));
    if (number > (std::numeric_limits<long long>::max() >> shift))
    {
      throw UsageError(option + " is too large");
    }
    return number << shift;
  }

  int CreateInbox(const ApiClient& api, const InboxOptions& options, const OutputOptions& output)
  {
    Json body = {{"Kind", "Inbox"}};
    AddLinkFields(api, options, body);
    Json recipient = Json::object();
    if (!options.recipientName.empty())
    {
      recipient["Name"] = options.recipientName;
    }
    if (!options.recipientEmail.empty())
    {
      recipient["Email"] = options.recipientEmail;
    }
    if (!recipient.empty())
    {
      body["Recipient"] = recipient;
    }
    if (!options.maxUploadBytes.empty())
    {
      body["MaxUploadBytes"] = ParseByteSize(options.maxUploadBytes, "--max-upload-bytes");
    }
    if (!options.maxFileBytes.empty())
    {
      body["MaxFileBytes"] = ParseByteSize(options.maxFileBytes, "--max-file-bytes");
    }
    if (options.maxFiles)
    {
      body["MaxFiles"] = *options.maxFiles;
    }

    const Json inbox = api.Post("/studyshare/shares", body);
    if (output.json)
    {
      std::cout << inbox.dump(2) << "\n";
      return 0;
    }
    std::cout << "Inbox " << Text(inbox, "ID") << " created: send this link to whoever uploads the images\n";
    const std::string shortUrl = Text(inbox, "ShortUrl");
    if (!shortUrl.empty())
    {
      std::cout << "Short link:  " << shortUrl << "\n";
    }
    std::cout << "Link:        " << Text(inbox, "Url") << "\n";
    const std::string code = Text(inbox, "AccessCode");
    if (!code.empty())
    {
      std::cout << "Access code: " << code << "\n";
    }
    std::cout << "Expires:     "
              << ExpiryInWords(inbox.value("ExpirationDate", Json()), static_cast<int64_t>(std::time(nullptr))) << "\n"
              << "Accepts:     " << ByteSizeText(LimitOf(inbox, "MaxUploadBytes")) << " in all, "
              << ByteSizeText(LimitOf(inbox, "MaxFileBytes")) << " per file, " << LimitOf(inbox, "MaxFiles")
              << " files\n";
    if (!options.password.empty())
    {
      std::cout << "Password:    required (give it to the uploader separately)\n";
    }
    std::cout << "\n" << RenderQrCode(Text(inbox, "ShortUrl", Text(inbox, "Url")), output.ansiColors);
    return 0;
  }
}
