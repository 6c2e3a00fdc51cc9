// SPDX-License-Identifier: GPL-3.0-or-later
#include "TokenServiceTransport.h"

#include <curl/curl.h>

#include <memory>
#include <mutex>

namespace studyshare
{
  namespace
  {
    constexpr size_t kMaxAnswerBytes = 1 << 20;

    struct HandleDeleter
    {
      void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
    };

    struct ListDeleter
    {
      void operator()(curl_slist* list) const { curl_slist_free_all(list); }
    };

    size_t Collect(char* data, size_t size, size_t count, void* target)
    {
      auto* body = static_cast<std::string*>(target);
      const size_t bytes = size * count;
      if (body->size() + bytes > kMaxAnswerBytes)
      {
        return 0;  // aborts the transfer: an answer this large is nonsense
      }
      body->append(data, bytes);
      return bytes;
    }

    // Each thread keeps its own handle, so connections to the service are reused.
    CURL* ThreadHandle()
    {
      static std::once_flag once;
      std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
      thread_local std::unique_ptr<CURL, HandleDeleter> handle(curl_easy_init());
      return handle.get();
    }
  }

  CurlTokenServiceTransport::CurlTokenServiceTransport(TokenServiceEndpoint endpoint) : endpoint_(std::move(endpoint))
  {
  }

  TransportReply CurlTokenServiceTransport::Send(const std::string& method, const std::string& path,
                                                 const std::string& jsonBody)
  {
    TransportReply reply;
    CURL* handle = ThreadHandle();
    if (handle == nullptr)
    {
      reply.error = "cannot create an HTTP client";
      return reply;
    }
    curl_easy_reset(handle);
    const std::string url = endpoint_.baseUrl + path;
    std::unique_ptr<curl_slist, ListDeleter> headers(
      curl_slist_append(curl_slist_append(nullptr, "Content-Type: application/json"), "Expect:"));

    curl_easy_setopt(handle, CURLOPT_URL, url.c_str());
    curl_easy_setopt(handle, CURLOPT_CUSTOMREQUEST, method.c_str());
    curl_easy_setopt(handle, CURLOPT_POSTFIELDS, jsonBody.c_str());
    curl_easy_setopt(handle, CURLOPT_POSTFIELDSIZE, static_cast<long>(jsonBody.size()));
    curl_easy_setopt(handle, CURLOPT_HTTPHEADER, headers.get());
    curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS, endpoint_.timeoutMilliseconds);
    curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT_MS, endpoint_.timeoutMilliseconds);
    curl_easy_setopt(handle, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "http,https");
    // Tokens and the service password go to the service only, never through
    // a proxy named by http_proxy in Orthanc's environment.
    curl_easy_setopt(handle, CURLOPT_PROXY, "");
    curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, Collect);
    curl_easy_setopt(handle, CURLOPT_WRITEDATA, &reply.body);
    if (!endpoint_.username.empty())
    {
      curl_easy_setopt(handle, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
      curl_easy_setopt(handle, CURLOPT_USERNAME, endpoint_.username.c_str());
      curl_easy_setopt(handle, CURLOPT_PASSWORD, endpoint_.password.c_str());
    }
    const CURLcode code = curl_easy_perform(handle);
    if (code != CURLE_OK)
    {
      reply.error = curl_easy_strerror(code);
      reply.body.clear();
      return reply;
    }
    reply.reached = true;
    curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &reply.status);
    return reply;
  }
}
