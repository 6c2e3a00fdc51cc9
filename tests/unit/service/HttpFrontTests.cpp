// SPDX-License-Identifier: GPL-3.0-or-later
// studyshare-service's HTTP front, below the sockets: the bounded worker
// pool, the request helpers, and the routing of ServiceRoutes::Handle
// (the sockets, limits and timeouts are in test_token_service_connections.py).
#include "ServiceRoutes.h"
#include "TokenServiceWorld.h"
#include "http/ServerMessage.h"
#include "http/WorkerPool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>

using namespace studyshare;
using namespace studyshare::test;

TEST(WorkerPool, RefusesJobsBeyondItsQueueAndRunsTheOthers)
{
  http::WorkerPool pool(1, 2);
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::promise<void> started;
  std::atomic<int> ran{0};
  ASSERT_TRUE(pool.TrySubmit(
    [&]
    {
      started.set_value();
      released.wait();
      ++ran;
    }));
  started.get_future().wait();  // the only worker is busy: what follows queues
  EXPECT_TRUE(pool.TrySubmit([&] { ++ran; }));
  EXPECT_TRUE(pool.TrySubmit([&] { ++ran; }));
  EXPECT_FALSE(pool.TrySubmit([&] { ++ran; }));  // the queue holds two
  release.set_value();
  pool.Stop();  // runs what is queued
  EXPECT_EQ(3, ran.load());
  EXPECT_FALSE(pool.TrySubmit([&] { ++ran; }));
}

TEST(WorkerPool, RunsJobsInParallel)
{
  http::WorkerPool pool(4, 100);
  std::atomic<int> inside{0};
  std::atomic<int> most{0};
  for (int i = 0; i < 40; ++i)
  {
    ASSERT_TRUE(pool.TrySubmit(
      [&]
      {
        const int now = ++inside;
        int seen = most.load();
        while (now > seen && !most.compare_exchange_weak(seen, now))
        {
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
        --inside;
      }));
  }
  pool.Stop();
  EXPECT_GT(most.load(), 1);
  EXPECT_LE(most.load(), 4);
}

TEST(ServerMessage, HeaderIsCaseInsensitiveAndFirstWins)
{
  http::ServerRequest request;
  request.headers = {{"X-Forwarded-For", "203.0.113.1"}, {"x-forwarded-for", "203.0.113.2"}, {"Token", "t"}};
  EXPECT_EQ("203.0.113.1", request.Header("x-forwarded-for"));
  EXPECT_EQ("t", request.Header("TOKEN"));
  EXPECT_EQ("", request.Header("Authorization"));
}

TEST(ServerMessage, DecodePathKeepsMalformedEscapes)
{
  EXPECT_EQ("/tokens/a b", http::DecodePath("/tokens/a%20b"));
  EXPECT_EQ("/tokens/A/", http::DecodePath("/tokens/%41%2F"));
  EXPECT_EQ("/x%zz%4", http::DecodePath("/x%zz%4"));
  EXPECT_EQ("%", http::DecodePath("%"));
}

TEST(ServerMessage, JsonErrorHasTheServiceShape)
{
  const http::ServerResponse answer = http::JsonError(413, "error", "too large");
  EXPECT_EQ(413, answer.status);
  EXPECT_EQ("application/json", answer.contentType);
  EXPECT_EQ(nlohmann::json({{"error", "error"}, {"message", "too large"}, {"detail", "too large"}}),
            nlohmann::json::parse(answer.body));
}

namespace
{
  class ServiceRoutesTest : public ::testing::Test
  {
  protected:
    http::ServerResponse Call(const std::string& method, const std::string& path, const std::string& body = "{}")
    {
      http::ServerRequest request;
      request.method = method;
      request.path = path;
      request.body = body;
      request.remoteAddress = "127.0.0.1";
      return routes.Handle(request);
    }

    TokenServiceWorld world;
    StaffDirectory callers;
    StaffDirectory staff;
    TrustedProxies proxies;
    ServiceRoutes routes{world.service, world.store, callers, staff, /* anonymousCallers */ true, proxies};
  };
}

TEST_F(ServiceRoutesTest, UnknownRoutesAre404NamingThem)
{
  for (const auto& [method, path] : std::vector<std::pair<std::string, std::string>>{{"GET", "/"},
                                                                                     {"GET", "/tokens/validate"},
                                                                                     {"POST", "/tokens/validate/x"},
                                                                                     {"PUT", "/tokens/"},
                                                                                     {"PUT", "/tokens/a/b"},
                                                                                     {"DELETE", "/shares"},
                                                                                     {"BREW", "/health"}})
  {
    const http::ServerResponse answer = Call(method, path);
    EXPECT_EQ(404, answer.status) << method << " " << path;
    EXPECT_EQ("no such route: " + method + " " + path, nlohmann::json::parse(answer.body).at("message"));
  }
}

TEST_F(ServiceRoutesTest, HealthAnswersGetAndHead)
{
  for (const std::string method : {"GET", "HEAD"})
  {
    const http::ServerResponse answer = Call(method, "/health");
    EXPECT_EQ(200, answer.status);
    EXPECT_EQ(nlohmann::json({{"status", "ok"}}), nlohmann::json::parse(answer.body));
  }
}

TEST_F(ServiceRoutesTest, TokenTypeComesFromThePath)
{
  const http::ServerResponse created =
    Call("PUT", "/tokens/viewer-instant-link", TokenServiceWorld::CreationBody("viewer-instant-link").dump());
  EXPECT_EQ(200, created.status) << created.body;
  const http::ServerResponse unknown =
    Call("PUT", "/tokens/no-such-type", TokenServiceWorld::CreationBody("no-such-type").dump());
  EXPECT_EQ(400, unknown.status) << unknown.body;
}
