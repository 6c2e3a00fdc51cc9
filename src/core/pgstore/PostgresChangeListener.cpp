// SPDX-License-Identifier: GPL-3.0-or-later
#include "PostgresChangeListener.h"

#include "IShareStore.h"
#include "PostgresSchema.h"

#include <libpq-fe.h>
#include <poll.h>

namespace studyshare
{
  namespace
  {
    constexpr int kPollMilliseconds = 200;
    constexpr std::chrono::milliseconds kRetryDelay(250);
  }

  PostgresChangeListener::PostgresChangeListener(PostgresSettings settings) : settings_(std::move(settings))
  {
    thread_ = std::thread([this] { Run(); });
  }

  PostgresChangeListener::~PostgresChangeListener()
  {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
  }

  void PostgresChangeListener::Run()
  {
    while (!stopping_)
    {
      try
      {
        ListenOnce();
      }
      catch (const std::exception&)
      {
        // Down or refusing: retried below; the stamp already moved.
      }
      if (listening_.exchange(false))
      {
        stamp_++;
      }
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait_for(lock, kRetryDelay, [this] { return stopping_.load(); });
    }
  }

  void PostgresChangeListener::ListenOnce()
  {
    PgConnection connection(settings_);
    connection.Execute(std::string("LISTEN ") + kShareChangeChannel);
    listening_ = true;
    stamp_++;  // anything may have changed while no one was listening
    while (!stopping_)
    {
      pollfd fd{connection.Socket(), POLLIN, 0};
      const int ready = poll(&fd, 1, kPollMilliseconds);
      if (ready < 0 && errno != EINTR)
      {
        return;
      }
      if (ready > 0 && PQconsumeInput(connection.Handle()) == 0)
      {
        return;
      }
      if (PQstatus(connection.Handle()) != CONNECTION_OK)
      {
        return;
      }
      bool changed = false;
      while (PGnotify* notification = PQnotifies(connection.Handle()))
      {
        changed = true;
        PQfreemem(notification);
      }
      if (changed)
      {
        stamp_++;
      }
    }
  }
}
