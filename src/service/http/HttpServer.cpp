// SPDX-License-Identifier: GPL-3.0-or-later
#include "HttpServer.h"

#include "ConnectionRegistry.h"
#include "HttpConnection.h"
#include "ServiceLog.h"
#include "WorkerPool.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <atomic>
#include <thread>
#include <vector>

namespace studyshare::http
{
  namespace net = boost::asio;
  using tcp = net::ip::tcp;

  namespace
  {
    // After accept() fails (out of file descriptors, most likely), wait
    // before trying again rather than spin.
    constexpr std::chrono::milliseconds kAcceptRetry{100};
  }

  struct HttpServer::State
  {
    State(const ServerOptions& settings, RequestHandler handler)
      : options(settings), registry(settings.maxConnections), io(static_cast<int>(settings.ioThreads)),
        // Each connection has at most one request in flight: the queue is
        // bounded by the connections anyway, and by this.
        workers(settings.workerThreads, settings.maxConnections), context{settings.limits, std::move(handler), workers,
                                                                          registry, io},
        acceptor(net::make_strand(io)), retry(acceptor.get_executor())
    {
    }

    void Accept()
    {
      acceptor.async_accept(net::make_strand(io), [this](boost::system::error_code error, tcp::socket socket)
                            { OnAccept(error, std::move(socket)); });
    }

    void OnAccept(boost::system::error_code error, tcp::socket socket)
    {
      if (!acceptor.is_open())
      {
        return;
      }
      if (error)
      {
        if (error != net::error::operation_aborted)
        {
          LogEvent("warning", "accept-failed", {{"cause", error.message()}});
        }
        retry.expires_after(kAcceptRetry);
        retry.async_wait(
          [this](boost::system::error_code waited)
          {
            if (!waited && acceptor.is_open())
            {
              Accept();
            }
          });
        return;
      }
      boost::system::error_code ignored;
      socket.set_option(tcp::no_delay(true), ignored);
      auto connection = std::make_shared<HttpConnection>(std::move(socket), context);
      if (registry.TryAdd(connection))
      {
        connection->Start();
      }
      else
      {
        if (!full.exchange(true))
        {
          LogEvent("warning", "connections-full", {{"max-connections", options.maxConnections}});
        }
        connection->Refuse();
      }
      Accept();
    }

    const ServerOptions options;
    // Before io: connections that io's queue still holds at destruction
    // remove themselves from it.
    ConnectionRegistry registry;
    net::io_context io;
    WorkerPool workers;
    ConnectionContext context;
    tcp::acceptor acceptor;
    net::steady_timer retry;
    std::atomic<bool> full{false};  // logged once, not once per refused connection
  };

  HttpServer::HttpServer(const ServerOptions& options, RequestHandler handler)
    : state_(std::make_unique<State>(options, std::move(handler)))
  {
  }

  HttpServer::~HttpServer()
  {
    state_->workers.Stop();
  }

  bool HttpServer::Listen(std::string& error)
  {
    boost::system::error_code failure;
    tcp::resolver resolver(state_->io);
    const auto endpoints = resolver.resolve(state_->options.bind, std::to_string(state_->options.port),
                                            tcp::resolver::passive | tcp::resolver::numeric_service, failure);
    if (failure || endpoints.empty())
    {
      error = failure ? failure.message() : "no address";
      return false;
    }
    const tcp::endpoint endpoint = endpoints.begin()->endpoint();
    tcp::acceptor& acceptor = state_->acceptor;
    acceptor.open(endpoint.protocol(), failure);
    if (!failure)
    {
      acceptor.set_option(net::socket_base::reuse_address(true), failure);
    }
    if (!failure)
    {
      acceptor.bind(endpoint, failure);
    }
    if (!failure)
    {
      acceptor.listen(net::socket_base::max_listen_connections, failure);
    }
    if (failure)
    {
      error = failure.message();
      boost::system::error_code ignored;
      acceptor.close(ignored);
      return false;
    }
    return true;
  }

  bool HttpServer::Run()
  {
    net::post(state_->acceptor.get_executor(), [this] { state_->Accept(); });
    std::atomic<bool> clean{true};
    auto loop = [this, &clean]
    {
      for (;;)
      {
        try
        {
          state_->io.run();
          return;
        }
        catch (const std::exception& e)
        {
          // A handler threw on an io thread: logged, and the loop goes on
          // (the connection concerned is dropped with the handler).
          clean = false;
          LogEvent("error", "io-thread-error", {{"cause", e.what()}});
        }
      }
    };
    std::vector<std::thread> threads;
    for (size_t i = 1; i < state_->options.ioThreads; ++i)
    {
      threads.emplace_back(loop);
    }
    loop();
    for (std::thread& thread : threads)
    {
      thread.join();
    }
    state_->workers.Stop();
    return clean;
  }

  void HttpServer::Stop()
  {
    net::post(state_->acceptor.get_executor(),
              [this]
              {
                boost::system::error_code ignored;
                state_->acceptor.close(ignored);
                state_->retry.cancel();
              });
    state_->registry.StopAll();
    state_->registry.WaitUntilEmpty(state_->options.stopGrace);
    state_->io.stop();
  }
}
