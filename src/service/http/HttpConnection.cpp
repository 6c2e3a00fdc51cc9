// SPDX-License-Identifier: GPL-3.0-or-later
#include "HttpConnection.h"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include <array>

namespace studyshare::http
{
  namespace beast = boost::beast;
  namespace net = boost::asio;
  namespace bhttp = boost::beast::http;
  using tcp = net::ip::tcp;

  namespace
  {
    // After the last answer on a closing connection, what the client still
    // sends is read and dropped for this long, so that closing with unread
    // bytes does not reset the connection before the client read the answer.
    constexpr std::chrono::milliseconds kLingerTime{1000};

    std::string Text(beast::string_view view)
    {
      return std::string(view.data(), view.size());
    }

    ServerResponse Invoke(const RequestHandler& handler, const ServerRequest& request)
    {
      try
      {
        return handler(request);
      }
      catch (...)
      {
        return JsonError(500, "internal-error", "internal error");
      }
    }

    ServerResponse Busy()
    {
      ServerResponse answer = JsonError(503, "busy", "Too many requests at once; try again.");
      answer.headers.emplace_back("Retry-After", "1");
      return answer;
    }
  }

  HttpConnection::HttpConnection(tcp::socket socket, ConnectionContext& context)
    : context_(context), stream_(std::move(socket)),
      buffer_(context.limits.maxHeaderBytes + context.limits.maxBodyBytes + 64 * 1024)
  {
    beast::error_code error;
    const tcp::endpoint peer = stream_.socket().remote_endpoint(error);
    if (!error)
    {
      remoteAddress_ = peer.address().to_string();
    }
  }

  HttpConnection::~HttpConnection()
  {
    context_.registry.Remove(this);
  }

  void HttpConnection::Start()
  {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->AwaitRequest(); });
  }

  void HttpConnection::Refuse()
  {
    net::dispatch(stream_.get_executor(),
                  [self = shared_from_this()]
                  {
                    self->phase_ = Phase::Writing;
                    ServerResponse answer = JsonError(503, "busy", "Too many connections; try again.");
                    answer.headers.emplace_back("Retry-After", "1");
                    self->Respond(std::move(answer), false);
                  });
  }

  void HttpConnection::Stop()
  {
    net::post(stream_.get_executor(),
              [self = shared_from_this()]
              {
                self->stopping_ = true;
                if (self->phase_ == Phase::Idle || self->phase_ == Phase::Reading)
                {
                  self->Close();
                }
              });
  }

  void HttpConnection::AwaitRequest()
  {
    phase_ = Phase::Idle;
    if (stopping_)
    {
      Close();
      return;
    }
    if (buffer_.size() > 0)
    {
      ReadHeader();  // the client sent its next request already (pipelining)
      return;
    }
    stream_.expires_after(context_.limits.idleTimeout);
    stream_.async_read_some(buffer_.prepare(4096),
                            [self = shared_from_this()](beast::error_code error, size_t received)
                            {
                              if (error || self->phase_ == Phase::Closed)
                              {
                                self->Close();  // idle timeout, the client left, or stopping
                                return;
                              }
                              self->buffer_.commit(received);
                              self->ReadHeader();
                            });
  }

  void HttpConnection::ReadHeader()
  {
    phase_ = Phase::Reading;
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(context_.limits.maxHeaderBytes));
    parser_->body_limit(context_.limits.maxBodyBytes);
    headerBytes_ = 0;
    // One deadline for the whole request, header and body: a trickling
    // client does not get it renewed by each byte.
    stream_.expires_after(context_.limits.readTimeout);
    ReadHeaderPart();
  }

  // Part by part, counting: Beast 1.74's header_limit bounds only what is
  // not parsed yet, not the header as a whole.
  void HttpConnection::ReadHeaderPart()
  {
    bhttp::async_read_some(stream_, buffer_, *parser_,
                           [self = shared_from_this()](beast::error_code error, size_t parsed)
                           {
                             if (error)
                             {
                               self->OnReadError(error);
                               return;
                             }
                             self->headerBytes_ += parsed;
                             if (self->headerBytes_ > self->context_.limits.maxHeaderBytes)
                             {
                               self->OnReadError(bhttp::error::header_limit);
                             }
                             else if (self->parser_->is_header_done())
                             {
                               self->OnHeader();
                             }
                             else
                             {
                               self->ReadHeaderPart();
                             }
                           });
  }

  void HttpConnection::OnHeader()
  {
    const auto& header = parser_->get();
    if (header.target().size() > context_.limits.maxUriBytes)
    {
      Respond(JsonError(414, "error",
                        "the request URI is longer than " + std::to_string(context_.limits.maxUriBytes) + " bytes"),
              false);
      return;
    }
    if (beast::iequals(header[bhttp::field::expect], "100-continue") && !parser_->is_done())
    {
      static const std::string kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      net::async_write(stream_, net::buffer(kContinue),
                       [self = shared_from_this()](beast::error_code written, size_t)
                       {
                         if (written)
                         {
                           self->Close();
                           return;
                         }
                         self->ReadBody();
                       });
      return;
    }
    ReadBody();
  }

  void HttpConnection::ReadBody()
  {
    if (parser_->is_done())
    {
      OnBody({});
      return;
    }
    bhttp::async_read(stream_, buffer_, *parser_,
                      [self = shared_from_this()](beast::error_code error, size_t) { self->OnBody(error); });
  }

  void HttpConnection::OnBody(beast::error_code error)
  {
    if (error)
    {
      OnReadError(error);
      return;
    }
    stream_.expires_never();
    Dispatch();
  }

  void HttpConnection::OnReadError(beast::error_code error)
  {
    if (phase_ == Phase::Closed)
    {
      return;
    }
    if (error == bhttp::error::header_limit)
    {
      Respond(
        JsonError(431, "error",
                  "the request headers are larger than " + std::to_string(context_.limits.maxHeaderBytes) + " bytes"),
        false);
    }
    else if (error == bhttp::error::body_limit)
    {
      Respond(JsonError(413, "error",
                        "the request body is larger than " + std::to_string(context_.limits.maxBodyBytes) + " bytes"),
              false);
    }
    else if (error == beast::error::timeout || error == bhttp::error::end_of_stream || error == net::error::eof ||
             error == net::error::operation_aborted || error == net::error::connection_reset ||
             error == bhttp::error::partial_message)
    {
      Close();  // too slow, gone, or stopping: nobody to answer
    }
    else
    {
      Respond(JsonError(400, "error", "the request could not be parsed as HTTP"), false);
    }
  }

  void HttpConnection::Dispatch()
  {
    bhttp::request<bhttp::string_body> message = parser_->release();
    parser_.reset();
    version_ = message.version();
    head_ = message.method() == bhttp::verb::head;
    const bool keepAlive = message.keep_alive();

    ServerRequest request;
    request.method = Text(message.method_string());
    const beast::string_view target = message.target();
    request.path = DecodePath(std::string_view(target.data(), target.size()).substr(0, target.find('?')));
    for (const auto& field : message)
    {
      request.headers.emplace_back(Text(field.name_string()), Text(field.value()));
    }
    request.body = std::move(message.body());
    request.remoteAddress = remoteAddress_;

    phase_ = Phase::Handling;
    auto self = shared_from_this();
    // The guard keeps the io threads running until the answer is posted
    // back, also while the server stops.
    auto work = std::make_shared<net::executor_work_guard<net::io_context::executor_type>>(context_.io.get_executor());
    const bool queued = context_.workers.TrySubmit(
      [self, work, keepAlive, request = std::move(request)]
      {
        ServerResponse answer = Invoke(self->context_.handler, request);
        net::post(self->stream_.get_executor(), [self, work, keepAlive, answer = std::move(answer)]() mutable
                  { self->Respond(std::move(answer), keepAlive); });
      });
    if (!queued)
    {
      Respond(Busy(), keepAlive);
    }
  }

  void HttpConnection::Respond(ServerResponse answer, bool keepAlive)
  {
    if (phase_ == Phase::Closed)
    {
      return;
    }
    phase_ = Phase::Writing;
    keepAlive = keepAlive && !stopping_;
    auto& response = response_.emplace();
    response.version(version_);
    response.result(static_cast<unsigned>(answer.status));
    if (!answer.contentType.empty())
    {
      response.set(bhttp::field::content_type, answer.contentType);
    }
    for (const auto& [name, value] : answer.headers)
    {
      response.insert(name, value);
    }
    response.keep_alive(keepAlive);
    const size_t length = answer.body.size();
    if (!head_)
    {
      response.body() = std::move(answer.body);
    }
    response.content_length(length);
    stream_.expires_after(context_.limits.readTimeout);
    bhttp::async_write(stream_, response,
                       [self = shared_from_this(), keepAlive](beast::error_code error, size_t)
                       { self->OnWritten(error, keepAlive); });
  }

  void HttpConnection::OnWritten(beast::error_code error, bool keepAlive)
  {
    response_.reset();
    if (error)
    {
      Close();
    }
    else if (keepAlive && !stopping_)
    {
      AwaitRequest();
    }
    else
    {
      Linger();
    }
  }

  void HttpConnection::Linger()
  {
    phase_ = Phase::Closed;
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.expires_after(kLingerTime);
    auto drain = std::make_shared<std::array<char, 4096>>();
    // Reads until the client closes or the linger time is up; each read
    // holds the connection alive through `self`.
    struct Drainer
    {
      std::shared_ptr<HttpConnection> self;
      std::shared_ptr<std::array<char, 4096>> space;
      void operator()(beast::error_code error, size_t)
      {
        if (error)
        {
          beast::error_code closing;
          self->stream_.socket().close(closing);
          return;
        }
        self->stream_.async_read_some(net::buffer(*space), std::move(*this));
      }
    };
    Drainer{shared_from_this(), drain}({}, 0);
  }

  void HttpConnection::Close()
  {
    phase_ = Phase::Closed;
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.close();
  }
}
