// SPDX-License-Identifier: GPL-3.0-or-later
#include "ApiClient.h"

#include <curl/curl.h>

#include <memory>

namespace studyshare::cli
{
  namespace
  {
    struct CurlGlobal
    {
      CurlGlobal() { curl_global_init(CURL_GLOBAL_DEFAULT); }
      ~CurlGlobal() { curl_global_cleanup(); }
    };

    void EnsureCurlGlobal()
    {
      static CurlGlobal global;
    }

    size_t AppendBody(char* data, size_t size, size_t count, void* user)
    {
      static_cast<std::string*>(user)->append(data, size * count);
      return size * count;
    }

    std::string StripUserInfo(const std::string& url)
    {
      const size_t scheme = url.find("://");
      const size_t start = scheme == std::string::npos ? 0 : scheme + 3;
      const size_t end = url.find_first_of("/?#", start);
      const size_t at = url.rfind('@', end == std::string::npos ? url.size() : end);
      if (at == std::string::npos || at < start)
      {
        return url;
      }
      return url.substr(0, start) + url.substr(at + 1);
    }

    std::string StatusText(long status)
    {
      switch (status)
      {
        case 400:
          return "400 Bad Request";
        case 401:
          return "401 Unauthorized";
        case 403:
          return "403 Forbidden";
        case 404:
          return "404 Not Found";
        case 409:
          return "409 Conflict";
        case 500:
          return "500 Internal Server Error";
        case 503:
          return "503 Service Unavailable";
        default:
          return std::to_string(status);
      }
    }

    std::string DescribeHttpError(long status, const std::string& body)
    {
      std::string message;
      try
      {
        const nlohmann::json answer = nlohmann::json::parse(body);
        if (answer.is_object() && answer.contains("Message") && answer["Message"].is_string())
        {
          message = answer["Message"].get<std::string>();
        }
      }
      catch (const nlohmann::json::exception&)
      {
      }
      std::string text = "server answered " + StatusText(status);
      if (!message.empty())
      {
        text += ": " + message;
      }
      else if (status == 401 || status == 403)
      {
        text += ": check the user name and password (--user/--password or STUDYSHARE_USER/STUDYSHARE_PASSWORD)";
      }
      else if (status == 404)
      {
        text += ": is the StudyShare plugin loaded at this URL?";
      }
      return text;
    }
  }

  ApiClient::ApiClient(ApiSettings settings) : settings_(std::move(settings))
  {
    while (!settings_.url.empty() && settings_.url.back() == '/')
    {
      settings_.url.pop_back();
    }
  }

  std::string ApiClient::DisplayUrl() const
  {
    return StripUserInfo(settings_.url);
  }

  std::string ApiClient::Escape(const std::string& text)
  {
    EnsureCurlGlobal();
    std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
    char* escaped = curl ? curl_easy_escape(curl.get(), text.c_str(), static_cast<int>(text.size())) : nullptr;
    if (escaped == nullptr)
    {
      throw ApiError("out of memory");
    }
    std::string result(escaped);
    curl_free(escaped);
    return result;
  }

  nlohmann::json ApiClient::Call(const std::string& method, const std::string& path, const nlohmann::json* body) const
  {
    return Send(method, path, body ? std::optional<std::string>(body->dump()) : std::nullopt, "application/json");
  }

  nlohmann::json ApiClient::PostText(const std::string& path, const std::string& text) const
  {
    return Send("POST", path, text, "text/plain");
  }

  nlohmann::json ApiClient::Send(const std::string& method, const std::string& path,
                                 const std::optional<std::string>& body, const std::string& contentType) const
  {
    const std::string answer = Fetch(method, path, body, contentType, "application/json");
    if (answer.empty())
    {
      return nlohmann::json::object();
    }
    try
    {
      return nlohmann::json::parse(answer);
    }
    catch (const nlohmann::json::exception&)
    {
      throw ApiError("the server's answer to " + method + " " + path + " is not JSON");
    }
  }

  std::string ApiClient::GetBytes(const std::string& path, const std::string& accept) const
  {
    return Fetch("GET", path, std::nullopt, "", accept);
  }

  std::string ApiClient::Fetch(const std::string& method, const std::string& path,
                               const std::optional<std::string>& body, const std::string& contentType,
                               const std::string& accept) const
  {
    EnsureCurlGlobal();
    std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
    if (!curl)
    {
      throw ApiError("cannot initialize libcurl");
    }
    CURL* handle = curl.get();
    const std::string url = settings_.url + path;
    std::string answer;
    const std::string payload = body.value_or("");
    char errorBuffer[CURL_ERROR_SIZE] = {0};

    curl_slist* headers = nullptr;
    headers = curl_slist_append(headers, ("Accept: " + accept).c_str());
    if (body)
    {
      headers = curl_slist_append(headers, ("Content-Type: " + contentType).c_str());
    }
    if (!settings_.apiKey.empty())
    {
      headers = curl_slist_append(headers, ("Authorization: Bearer " + settings_.apiKey).c_str());
    }
    std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> headerGuard(headers, curl_slist_free_all);

    curl_easy_setopt(handle, CURLOPT_URL, url.c_str());
    curl_easy_setopt(handle, CURLOPT_CUSTOMREQUEST, method.c_str());
    curl_easy_setopt(handle, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, AppendBody);
    curl_easy_setopt(handle, CURLOPT_WRITEDATA, &answer);
    curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, errorBuffer);
    curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT, settings_.connectTimeoutSeconds);
    curl_easy_setopt(handle, CURLOPT_TIMEOUT, settings_.timeoutSeconds);
    curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(handle, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(handle, CURLOPT_USERAGENT, "studyshare-cli");
    if (body)
    {
      curl_easy_setopt(handle, CURLOPT_POSTFIELDS, payload.c_str());
      curl_easy_setopt(handle, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(payload.size()));
    }
    if (settings_.apiKey.empty() && (!settings_.user.empty() || !settings_.password.empty()))
    {
      curl_easy_setopt(handle, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
      curl_easy_setopt(handle, CURLOPT_USERNAME, settings_.user.c_str());
      curl_easy_setopt(handle, CURLOPT_PASSWORD, settings_.password.c_str());
    }

    const CURLcode code = curl_easy_perform(handle);
    if (code != CURLE_OK)
    {
      const std::string detail = errorBuffer[0] != '\0' ? errorBuffer : curl_easy_strerror(code);
      throw ApiError("cannot reach " + DisplayUrl() + " (" + detail + ")");
    }
    long status = 0;
    curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &status);
    if (status < 200 || status >= 300)
    {
      throw ApiError(DescribeHttpError(status, answer));
    }
    return answer;
  }
}
