// SPDX-License-Identifier: GPL-3.0-or-later
#include "ConnectionRegistry.h"

#include "HttpConnection.h"

#include <vector>

namespace studyshare::http
{
  bool ConnectionRegistry::TryAdd(const std::shared_ptr<HttpConnection>& connection)
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_ || connections_.size() >= maxConnections_)
    {
      return false;
    }
    connections_.emplace(connection.get(), connection);
    return true;
  }

  void ConnectionRegistry::Remove(const HttpConnection* connection)
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (connections_.erase(connection) > 0 && connections_.empty())
    {
      emptied_.notify_all();
    }
  }

  void ConnectionRegistry::StopAll()
  {
    std::vector<std::shared_ptr<HttpConnection>> open;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
      open.reserve(connections_.size());
      for (const auto& entry : connections_)
      {
        if (auto connection = entry.second.lock())
        {
          open.push_back(std::move(connection));
        }
      }
    }
    // Outside the lock: the last reference may go here, and the
    // connection's destructor removes itself.
    for (const auto& connection : open)
    {
      connection->Stop();
    }
  }

  bool ConnectionRegistry::WaitUntilEmpty(std::chrono::milliseconds timeout)
  {
    std::unique_lock<std::mutex> lock(mutex_);
    return emptied_.wait_for(lock, timeout, [this] { return connections_.empty(); });
  }
}
