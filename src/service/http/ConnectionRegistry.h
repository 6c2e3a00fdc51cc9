// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <unordered_map>

namespace studyshare::http
{
  class HttpConnection;

  // The open connections: counted against the maximum, and reachable to
  // stop them all when the server stops.
  class ConnectionRegistry
  {
  public:
    explicit ConnectionRegistry(size_t maxConnections) : maxConnections_(maxConnections) {}

    // False when full or stopping: the caller refuses the connection.
    bool TryAdd(const std::shared_ptr<HttpConnection>& connection);
    void Remove(const HttpConnection* connection);

    // Refuses new connections from now on, and asks every open one to stop
    // (idle ones close, requests in progress finish first).
    void StopAll();

    // True when every connection closed before the timeout.
    bool WaitUntilEmpty(std::chrono::milliseconds timeout);

  private:
    const size_t maxConnections_;
    std::mutex mutex_;
    std::condition_variable emptied_;
    std::unordered_map<const HttpConnection*, std::weak_ptr<HttpConnection>> connections_;
    bool stopping_ = false;
  };
}
