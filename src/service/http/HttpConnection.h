// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ConnectionRegistry.h"
#include "ServerMessage.h"
#include "ServerOptions.h"
#include "WorkerPool.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include <memory>
#include <optional>

namespace studyshare::http
{
  // What every connection of one server shares.
  struct ConnectionContext
  {
    ConnectionLimits limits;
    RequestHandler handler;
    WorkerPool& workers;
    ConnectionRegistry& registry;
    boost::asio::io_context& io;
  };

  // One client connection, driven by the io threads on its own strand: it
  // waits for a request (idle timeout), reads it whole within the read
  // timeout and the size limits, hands it to the worker pool, writes the
  // answer, and starts again while keep-alive holds. An idle connection
  // costs a socket and a buffer, never a thread.
  class HttpConnection : public std::enable_shared_from_this<HttpConnection>
  {
  public:
    HttpConnection(boost::asio::ip::tcp::socket socket, ConnectionContext& context);
    ~HttpConnection();

    HttpConnection(const HttpConnection&) = delete;
    HttpConnection& operator=(const HttpConnection&) = delete;

    void Start();
    // Answers 503 and closes: the server has no room for this connection.
    void Refuse();
    // From any thread: close now if no request is being handled, else after
    // its answer.
    void Stop();

  private:
    enum class Phase
    {
      Idle,      // waiting for a request's first byte
      Reading,   // a request started
      Handling,  // a worker has it
      Writing,
      Closed
    };

    void AwaitRequest();
    void ReadHeader();
    void ReadHeaderPart();
    void OnHeader();
    void ReadBody();
    void OnBody(boost::beast::error_code error);
    void OnReadError(boost::beast::error_code error);
    void Dispatch();
    void Respond(ServerResponse answer, bool keepAlive);
    void OnWritten(boost::beast::error_code error, bool keepAlive);
    void Linger();
    void Close();

    ConnectionContext& context_;
    boost::beast::tcp_stream stream_;
    boost::beast::flat_buffer buffer_;
    std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
    std::optional<boost::beast::http::response<boost::beast::http::string_body>> response_;
    std::string remoteAddress_;
    Phase phase_ = Phase::Idle;
    bool stopping_ = false;
    size_t headerBytes_ = 0;  // of the request being read
    unsigned version_ = 11;
    bool head_ = false;
  };
}
