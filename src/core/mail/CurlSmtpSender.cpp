// SPDX-License-Identifier: GPL-3.0-or-later
#include "CurlSmtpSender.h"

#include <curl/curl.h>

#include <cstring>
#include <memory>
#include <mutex>

namespace studyshare
{
  namespace
  {
    struct Upload
    {
      const std::string* data;
      size_t offset = 0;
    };

    size_t ReadChunk(char* buffer, size_t size, size_t count, void* userData)
    {
      Upload* upload = static_cast<Upload*>(userData);
      const size_t room = size * count;
      const size_t left = upload->data->size() - upload->offset;
      const size_t length = left < room ? left : room;
      std::memcpy(buffer, upload->data->data() + upload->offset, length);
      upload->offset += length;
      return length;
    }

    void InitializeCurlOnce()
    {
      static std::once_flag once;
      std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
    }

    // serverReply: the server's last reply code (0 when none came). curl
    // names it for a refused recipient but not for a message refused after
    // DATA ("Weird server reply"), and IT needs it to tell 4xx from 5xx.
    std::string Describe(CURLcode code, const char* details, const std::string& url, long serverReply)
    {
      std::string what;
      switch (code)
      {
        case CURLE_COULDNT_RESOLVE_HOST:
          what = "cannot resolve the host of " + url;
          break;
        case CURLE_COULDNT_CONNECT:
          what = "cannot connect to " + url;
          break;
        case CURLE_OPERATION_TIMEDOUT:
          what = "no answer in time from " + url;
          break;
        case CURLE_LOGIN_DENIED:
          what = "the SMTP server " + url + " refused the user name or password";
          break;
        case CURLE_USE_SSL_FAILED:
          what = "the SMTP server " + url + " does not offer STARTTLS, which is required";
          break;
        case CURLE_SSL_CONNECT_ERROR:
        case CURLE_PEER_FAILED_VERIFICATION:
          what = "TLS with " + url + " failed";
          break;
        case CURLE_SEND_ERROR:
        case CURLE_RECV_ERROR:
          what = "the connection to " + url + " broke";
          break;
        default:
          what = "the SMTP server " + url + " did not accept the message";
          break;
      }
      std::string detail = details && details[0] ? details : curl_easy_strerror(code);
      if (serverReply > 0 && detail.find(std::to_string(serverReply)) == std::string::npos)
      {
        detail += "; the server answered " + std::to_string(serverReply);
      }
      return what + " (" + detail + ")";
    }
  }

  CurlSmtpSender::CurlSmtpSender(SmtpSettings settings) : settings_(std::move(settings))
  {
    InitializeCurlOnce();
  }

  void CurlSmtpSender::Send(const std::string& envelopeFrom, const std::vector<std::string>& envelopeTo,
                            const std::string& message)
  {
    std::unique_ptr<CURL, void (*)(CURL*)> curl(curl_easy_init(), curl_easy_cleanup);
    if (!curl)
    {
      throw SmtpError("cannot initialize libcurl");
    }
    struct curl_slist* recipients = nullptr;
    for (const std::string& to : envelopeTo)
    {
      recipients = curl_slist_append(recipients, ("<" + to + ">").c_str());
    }
    std::unique_ptr<curl_slist, void (*)(curl_slist*)> recipientList(recipients, curl_slist_free_all);

    Upload upload{&message};
    char errors[CURL_ERROR_SIZE] = {0};
    CURL* handle = curl.get();
    curl_easy_setopt(handle, CURLOPT_URL, settings_.url.c_str());
    curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, errors);
    curl_easy_setopt(handle, CURLOPT_MAIL_FROM, ("<" + envelopeFrom + ">").c_str());
    curl_easy_setopt(handle, CURLOPT_MAIL_RCPT, recipients);
    curl_easy_setopt(handle, CURLOPT_READFUNCTION, ReadChunk);
    curl_easy_setopt(handle, CURLOPT_READDATA, &upload);
    curl_easy_setopt(handle, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(handle, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(message.size()));
    curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT, static_cast<long>(settings_.timeoutSeconds));
    curl_easy_setopt(handle, CURLOPT_TIMEOUT, static_cast<long>(settings_.timeoutSeconds * 3));
    switch (settings_.startTls)
    {
      case StartTlsPolicy::Required:
        curl_easy_setopt(handle, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
        break;
      case StartTlsPolicy::None:
        curl_easy_setopt(handle, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_NONE));
        break;
      default:
        curl_easy_setopt(handle, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_TRY));
        break;
    }
    if (!settings_.username.empty())
    {
      curl_easy_setopt(handle, CURLOPT_USERNAME, settings_.username.c_str());
      curl_easy_setopt(handle, CURLOPT_PASSWORD, settings_.password.c_str());
    }

    const CURLcode code = curl_easy_perform(handle);
    if (code != CURLE_OK)
    {
      long serverReply = 0;
      curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &serverReply);
      throw SmtpError(Describe(code, errors, settings_.url, serverReply));
    }
  }
}
