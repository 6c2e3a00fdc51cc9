// SPDX-License-Identifier: GPL-3.0-or-later
#include "PostgresConnection.h"

#include "IShareStore.h"

#include <libpq-fe.h>
#include <poll.h>

namespace studyshare
{
  namespace
  {
    // A client-side bound above the server's statement_timeout, for a
    // server that does not answer at all (stopped, frozen, network gone).
    constexpr std::chrono::milliseconds kClientMargin(1000);

    // PostgreSQL text holds neither NUL nor invalid UTF-8 (SQLite would):
    // request-derived strings are stored with such bytes replaced by U+FFFD
    // instead of failing the write.
    bool IsCleanUtf8(const std::string& text)
    {
      size_t i = 0;
      while (i < text.size())
      {
        const auto byte = static_cast<unsigned char>(text[i]);
        size_t length = byte < 0x80 ? 1 : (byte >> 5) == 0x6 ? 2 : (byte >> 4) == 0xE ? 3 : (byte >> 3) == 0x1E ? 4 : 0;
        if (byte == 0 || length == 0 || i + length > text.size() || (length == 2 && byte < 0xC2) ||
            (length == 4 && byte > 0xF4))
        {
          return false;
        }
        for (size_t k = 1; k < length; k++)
        {
          if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80)
          {
            return false;
          }
        }
        const auto second = length > 1 ? static_cast<unsigned char>(text[i + 1]) : 0;
        if ((byte == 0xE0 && second < 0xA0) || (byte == 0xED && second >= 0xA0) || (byte == 0xF0 && second < 0x90) ||
            (byte == 0xF4 && second >= 0x90))
        {
          return false;  // overlong, surrogate or beyond U+10FFFF
        }
        i += length;
      }
      return true;
    }

    std::string ReplaceUnclean(const std::string& text)
    {
      std::string clean;
      for (size_t i = 0; i < text.size(); i++)
      {
        for (size_t length = 4; length >= 1; length--)
        {
          if (i + length <= text.size() && IsCleanUtf8(text.substr(i, length)))
          {
            clean += text.substr(i, length);
            i += length - 1;
            break;
          }
          if (length == 1)
          {
            clean += "\xEF\xBF\xBD";
          }
        }
      }
      return clean;
    }
  }

  PgResult::PgResult(pg_result* result) : result_(result) {}

  PgResult::~PgResult()
  {
    if (result_ != nullptr)
    {
      PQclear(result_);
    }
  }

  PgResult::PgResult(PgResult&& other) noexcept : result_(other.result_)
  {
    other.result_ = nullptr;
  }

  int PgResult::Rows() const
  {
    return PQntuples(result_);
  }

  int64_t PgResult::Affected() const
  {
    const char* count = PQcmdTuples(result_);
    return count[0] == '\0' ? 0 : std::stoll(count);
  }

  bool PgResult::IsNull(int row, int column) const
  {
    return PQgetisnull(result_, row, column) != 0;
  }

  std::string PgResult::GetString(int row, int column) const
  {
    return std::string(PQgetvalue(result_, row, column), static_cast<size_t>(PQgetlength(result_, row, column)));
  }

  int64_t PgResult::GetInt(int row, int column) const
  {
    return IsNull(row, column) ? 0 : std::stoll(PQgetvalue(result_, row, column));
  }

  std::optional<int64_t> PgResult::GetOptionalInt(int row, int column) const
  {
    if (IsNull(row, column))
    {
      return std::nullopt;
    }
    return GetInt(row, column);
  }

  std::optional<std::string> PgParam(int64_t value)
  {
    return std::to_string(value);
  }

  std::optional<std::string> PgParam(const std::optional<int64_t>& value)
  {
    return value ? std::optional<std::string>(std::to_string(*value)) : std::nullopt;
  }

  std::optional<std::string> PgParam(const std::string& value)
  {
    return value;
  }

  PgConnection::PgConnection(const PostgresSettings& settings)
    : deadline_(std::chrono::milliseconds(settings.statementTimeoutMilliseconds) + kClientMargin)
  {
    // Our bounds first: the site's own connection string may override them.
    const std::string timeout = std::to_string(settings.connectTimeoutSeconds);
    const char* keywords[] = {"connect_timeout", "application_name", "dbname", nullptr};
    const char* values[] = {timeout.c_str(), "studyshare", settings.connection.c_str(), nullptr};
    conn_ = PQconnectdbParams(keywords, values, 1);
    if (conn_ == nullptr || PQstatus(conn_) != CONNECTION_OK)
    {
      const std::string message = conn_ != nullptr ? PQerrorMessage(conn_) : "out of memory";
      if (conn_ != nullptr)
      {
        PQfinish(conn_);
        conn_ = nullptr;
      }
      throw StoreUnavailable("PostgreSQL: cannot connect: " + message);
    }
    // Server notices (e.g. "already exists, skipping") are not errors and
    // would otherwise go to Orthanc's standard error.
    PQsetNoticeProcessor(
      conn_, [](void*, const char*) {}, nullptr);
    if (PQsetnonblocking(conn_, 1) != 0)
    {
      Fail("cannot switch to non-blocking mode");
    }
    Execute("SET statement_timeout = " + std::to_string(settings.statementTimeoutMilliseconds) +
            "; SET lock_timeout = " + std::to_string(settings.statementTimeoutMilliseconds) +
            "; SET idle_in_transaction_session_timeout = " + std::to_string(settings.statementTimeoutMilliseconds * 5));
  }

  PgConnection::~PgConnection()
  {
    if (conn_ != nullptr)
    {
      PQfinish(conn_);
    }
  }

  int PgConnection::Socket() const
  {
    return PQsocket(conn_);
  }

  void PgConnection::Fail(const std::string& what)
  {
    broken_ = true;
    std::string message = conn_ != nullptr ? PQerrorMessage(conn_) : "";
    while (!message.empty() && (message.back() == '\n' || message.back() == ' '))
    {
      message.pop_back();
    }
    throw StoreUnavailable("PostgreSQL: " + what + (message.empty() ? "" : ": " + message));
  }

  PgResult PgConnection::Wait(const char* what)
  {
    const auto deadline = std::chrono::steady_clock::now() + deadline_;
    // Flush what was sent, then read until the whole answer is in.
    for (;;)
    {
      const int flushed = PQflush(conn_);
      if (flushed < 0)
      {
        Fail(what);
      }
      if (flushed == 0 && PQconsumeInput(conn_) == 0)
      {
        Fail(what);
      }
      if (flushed == 0 && PQisBusy(conn_) == 0)
      {
        break;
      }
      const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0)
      {
        Fail(std::string(what) + ": no answer within the time limit");
      }
      pollfd fd{Socket(), static_cast<short>(POLLIN | (flushed == 1 ? POLLOUT : 0)), 0};
      if (poll(&fd, 1, static_cast<int>(left.count())) < 0 && errno != EINTR)
      {
        Fail(what);
      }
    }
    std::optional<PgResult> last;
    std::string error;
    while (pg_result* result = PQgetResult(conn_))
    {
      const ExecStatusType status = PQresultStatus(result);
      if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK && error.empty())
      {
        error = PQresultErrorMessage(result);
      }
      last.emplace(result);
    }
    if (!error.empty())
    {
      while (!error.empty() && error.back() == '\n')
      {
        error.pop_back();
      }
      // A statement error leaves the connection usable; a lost one does not.
      broken_ = PQstatus(conn_) != CONNECTION_OK;
      throw StoreUnavailable(std::string("PostgreSQL: ") + what + ": " + error);
    }
    if (!last)
    {
      Fail(what);
    }
    return std::move(*last);
  }

  void PgConnection::Execute(const std::string& sql)
  {
    if (PQsendQuery(conn_, sql.c_str()) == 0)
    {
      Fail("cannot send a query");
    }
    Wait("query");
  }

  PgResult PgConnection::Run(const char* name, const char* sql, const PgParams& params)
  {
    if (prepared_.count(name) == 0)
    {
      if (PQsendPrepare(conn_, name, sql, static_cast<int>(params.size()), nullptr) == 0)
      {
        Fail("cannot prepare a statement");
      }
      Wait("prepare");
      prepared_.insert(name);
    }
    std::vector<std::string> cleaned;
    cleaned.reserve(params.size());
    std::vector<const char*> values;
    values.reserve(params.size());
    for (const std::optional<std::string>& param : params)
    {
      if (param && !IsCleanUtf8(*param))
      {
        cleaned.push_back(ReplaceUnclean(*param));
        values.push_back(cleaned.back().c_str());
      }
      else
      {
        values.push_back(param ? param->c_str() : nullptr);
      }
    }
    if (PQsendQueryPrepared(conn_, name, static_cast<int>(values.size()), values.data(), nullptr, nullptr, 0) == 0)
    {
      Fail("cannot send a statement");
    }
    return Wait(name);
  }
}
