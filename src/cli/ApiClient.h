// SPDX-License-Identifier: GPL-3.0-or-later
// ApiClient: the CLI's HTTP client for the StudyShare admin REST API
// (libcurl, HTTP Basic, JSON bodies, bounded timeouts).
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <stdexcept>
#include <string>

namespace studyshare::cli
{
  // A failure the CLI reports as "studyshare: <message>" with exit code 1
  // (server answered an error, or the server could not be reached).
  class ApiError : public std::runtime_error
  {
  public:
    explicit ApiError(const std::string& message) : std::runtime_error(message) {}
  };

  struct ApiSettings
  {
    std::string url = "http://127.0.0.1:8042";
    std::string user;
    std::string password;  // never printed
    std::string apiKey;    // staff API key (ssk_...), sent as a bearer token instead of Basic; never printed
    long connectTimeoutSeconds = 10;
    long timeoutSeconds = 60;
  };

  class ApiClient
  {
  public:
    explicit ApiClient(ApiSettings settings);

    // Sends METHOD base-url + path (with an optional JSON body) and returns the
    // answer's JSON. Throws ApiError on network errors and on non-2xx answers
    // (with the server's "Message" when there is one).
    nlohmann::json Call(const std::string& method, const std::string& path, const nlohmann::json* body = nullptr) const;

    // POST of a plain-text body (as Orthanc's /tools/lookup wants).
    nlohmann::json PostText(const std::string& path, const std::string& text) const;

    nlohmann::json Get(const std::string& path) const { return Call("GET", path); }
    nlohmann::json Post(const std::string& path, const nlohmann::json& body) const { return Call("POST", path, &body); }
    nlohmann::json Delete(const std::string& path) const { return Call("DELETE", path); }

    // GET of a file that is not JSON (an image): its bytes. Throws as Call does.
    std::string GetBytes(const std::string& path, const std::string& accept) const;

    // Percent-encodes one path segment or query value.
    static std::string Escape(const std::string& text);

    // The base URL without any user:password@ part (safe to print).
    std::string DisplayUrl() const;

  private:
    nlohmann::json Send(const std::string& method, const std::string& path, const std::optional<std::string>& body,
                        const std::string& contentType) const;
    // The answer's body of a 2xx answer; throws ApiError otherwise.
    std::string Fetch(const std::string& method, const std::string& path, const std::optional<std::string>& body,
                      const std::string& contentType, const std::string& accept) const;

    ApiSettings settings_;
  };
}
