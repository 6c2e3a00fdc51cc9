// SPDX-License-Identifier: GPL-3.0-or-later
// Remote mode's client of POST /tokens/validate: the question it sends, the
// answers it accepts, and how long it keeps them.
#include "RemoteTokenAuthority.h"

#include "TestSupport.h"

#include <gtest/gtest.h>

#include <functional>

using namespace studyshare;
using namespace studyshare::test;
using Json = nlohmann::json;

namespace
{
  struct SentRequest
  {
    std::string method;
    std::string path;
    Json body;
  };

  class FakeTransport : public ITokenServiceTransport
  {
  public:
    TransportReply Send(const std::string& method, const std::string& path, const std::string& jsonBody) override
    {
      sent.push_back({method, path, Json::parse(jsonBody)});
      if (during)
      {
        during();
      }
      return reply;
    }

    static TransportReply Answer(const std::string& body, long status = 200) { return {true, status, body, ""}; }

    TransportReply reply = Answer(R"({"granted": true, "validity": 60})");
    std::vector<SentRequest> sent;
    std::function<void()> during;  // runs while the service is being asked
  };

  class RemoteTokenAuthorityTests : public ::testing::Test
  {
  protected:
    static RemoteAuthoritySettings Settings()
    {
      RemoteAuthoritySettings settings;
      settings.tokenKey = "token";
      settings.maxCacheSeconds = 10;
      return settings;
    }

    static RemoteQuestion Question(const std::string& token = "tok-1", const std::string& study = kStudyA)
    {
      RemoteQuestion question;
      question.token = token;
      question.method = HttpMethod::Get;
      question.level = "study";
      question.orthancId = study;
      question.uri = "/studies/" + study;
      question.access = RouteAccess::Read;
      return question;
    }

    FakeTransport transport;
    int64_t nowMs = kNow * 1000;
    RemoteTokenAuthority authority{Settings(), transport, [this] { return nowMs; }};
  };
}

TEST_F(RemoteTokenAuthorityTests, SendsTheValidationQuestionOfTheProtocol)
{
  RemoteQuestion question = Question("secret-token");
  question.dicomUid = kStudyUidA;
  const RemoteAnswer answer = authority.Ask(question);
  EXPECT_EQ(RemoteVerdict::Granted, answer.verdict);
  ASSERT_EQ(1u, transport.sent.size());
  EXPECT_EQ("POST", transport.sent[0].method);
  EXPECT_EQ("/tokens/validate", transport.sent[0].path);
  const Json& body = transport.sent[0].body;
  EXPECT_EQ("study", body.at("level"));
  EXPECT_EQ("get", body.at("method"));
  EXPECT_EQ(kStudyA, body.at("orthanc-id"));
  EXPECT_EQ(kStudyUidA, body.at("dicom-uid"));
  EXPECT_EQ("token", body.at("token-key"));
  EXPECT_EQ("secret-token", body.at("token-value"));
  EXPECT_EQ("/studies/" + kStudyA, body.at("uri"));
  EXPECT_TRUE(body.at("server-id").is_null());
  EXPECT_EQ(std::string::npos, answer.detail.find("secret-token"));
}

TEST_F(RemoteTokenAuthorityTests, ServerIdHeadAndSystemLevel)
{
  RemoteAuthoritySettings settings = Settings();
  settings.serverId = "node-7";
  RemoteTokenAuthority named(settings, transport, [this] { return nowMs; });
  RemoteQuestion question = Question();
  question.method = HttpMethod::Head;
  question.level = "system";
  question.orthancId.clear();
  question.uri = "/system";
  question.access = RouteAccess::AnyShare;
  EXPECT_EQ(RemoteVerdict::Granted, named.Ask(question).verdict);
  ASSERT_EQ(1u, transport.sent.size());
  EXPECT_EQ("node-7", transport.sent[0].body.at("server-id"));
  EXPECT_EQ("get", transport.sent[0].body.at("method")) << "the protocol knows no HEAD";
  EXPECT_EQ("system", transport.sent[0].body.at("level"));
  EXPECT_TRUE(transport.sent[0].body.at("orthanc-id").is_null());
}

TEST_F(RemoteTokenAuthorityTests, MethodsOutsideTheProtocolAreDeniedWithoutAsking)
{
  RemoteQuestion question = Question();
  question.method = HttpMethod::Other;
  EXPECT_EQ(RemoteVerdict::Denied, authority.Ask(question).verdict);
  EXPECT_TRUE(transport.sent.empty());
}

TEST_F(RemoteTokenAuthorityTests, AnythingButAWellFormedAnswerIsUnavailable)
{
  struct Case
  {
    const char* name;
    TransportReply reply;
  };
  const std::vector<Case> cases = {
    {"unreachable", {false, 0, "", "connection refused"}},
    {"http_500", FakeTransport::Answer(R"({"granted": true, "validity": 60})", 500)},
    {"http_401", FakeTransport::Answer(R"({"detail":"Incorrect username or password."})", 401)},
    {"http_422", FakeTransport::Answer(R"({"granted": true})", 422)},
    {"not_json", FakeTransport::Answer("<html>Bad gateway</html>")},
    {"empty", FakeTransport::Answer("")},
    {"array", FakeTransport::Answer(R"([true])")},
    {"no_granted", FakeTransport::Answer(R"({"validity": 60})")},
    {"granted_string", FakeTransport::Answer(R"({"granted": "true", "validity": 60})")},
    {"granted_number", FakeTransport::Answer(R"({"granted": 1, "validity": 60})")},
    {"granted_null", FakeTransport::Answer(R"({"granted": null})")},
    {"validity_negative", FakeTransport::Answer(R"({"granted": true, "validity": -1})")},
    {"validity_fraction", FakeTransport::Answer(R"({"granted": true, "validity": 1.5})")},
    {"validity_string", FakeTransport::Answer(R"({"granted": true, "validity": "60"})")},
  };
  for (const Case& c : cases)
  {
    transport.reply = c.reply;
    transport.sent.clear();
    const RemoteAnswer first = authority.Ask(Question());
    EXPECT_EQ(RemoteVerdict::Unavailable, first.verdict) << c.name;
    EXPECT_FALSE(first.detail.empty()) << c.name;
    EXPECT_EQ(RemoteVerdict::Unavailable, authority.Ask(Question()).verdict) << c.name;
    EXPECT_EQ(2u, transport.sent.size()) << c.name << ": failures are never cached";
    EXPECT_EQ(0u, authority.CachedAnswers()) << c.name;
  }
  transport.reply = {false, 0, "", "timed out after 2000 ms"};
  EXPECT_NE(std::string::npos, authority.Ask(Question()).detail.find("timed out")) << "the log names the cause";
}

TEST_F(RemoteTokenAuthorityTests, AnswersAreKeptForTheShorterOfTheirValidityAndTheCacheLimit)
{
  transport.reply = FakeTransport::Answer(R"({"granted": true, "validity": 3})");
  EXPECT_EQ(RemoteVerdict::Granted, authority.Ask(Question()).verdict);
  EXPECT_EQ(RemoteVerdict::Granted, authority.Ask(Question()).verdict);
  EXPECT_EQ(1u, transport.sent.size());
  EXPECT_EQ(1u, authority.CachedAnswers());
  nowMs += 2999;
  authority.Ask(Question());
  EXPECT_EQ(1u, transport.sent.size());
  nowMs += 1;
  authority.Ask(Question());
  EXPECT_EQ(2u, transport.sent.size()) << "the answer's validity has passed";

  transport.reply = FakeTransport::Answer(R"({"granted": true, "validity": 3600})");
  RemoteTokenAuthority fresh(Settings(), transport, [this] { return nowMs; });
  transport.sent.clear();
  fresh.Ask(Question());
  nowMs += 9999;
  fresh.Ask(Question());
  EXPECT_EQ(1u, transport.sent.size());
  nowMs += 1;
  fresh.Ask(Question());
  EXPECT_EQ(2u, transport.sent.size()) << "WebServiceCacheSeconds bounds what the service allows";
}

TEST_F(RemoteTokenAuthorityTests, ZeroOrMissingValidityMeansNotCached)
{
  for (const char* body :
       {R"({"granted": true, "validity": 0})", R"({"granted": true})", R"({"granted": true, "validity": null})"})
  {
    transport.reply = FakeTransport::Answer(body);
    transport.sent.clear();
    EXPECT_EQ(RemoteVerdict::Granted, authority.Ask(Question()).verdict) << body;
    EXPECT_EQ(RemoteVerdict::Granted, authority.Ask(Question()).verdict) << body;
    EXPECT_EQ(2u, transport.sent.size()) << body;
  }
  RemoteAuthoritySettings noCache = Settings();
  noCache.maxCacheSeconds = 0;
  RemoteTokenAuthority uncached(noCache, transport, [this] { return nowMs; });
  transport.reply = FakeTransport::Answer(R"({"granted": true, "validity": 60})");
  transport.sent.clear();
  uncached.Ask(Question());
  uncached.Ask(Question());
  EXPECT_EQ(2u, transport.sent.size()) << "WebServiceCacheSeconds 0 turns the cache off";
}

TEST_F(RemoteTokenAuthorityTests, RefusalsAreCachedToo)
{
  transport.reply = FakeTransport::Answer(R"({"granted": false, "validity": 60})");
  EXPECT_EQ(RemoteVerdict::Denied, authority.Ask(Question()).verdict);
  EXPECT_EQ(RemoteVerdict::Denied, authority.Ask(Question()).verdict);
  EXPECT_EQ(1u, transport.sent.size());
}

TEST_F(RemoteTokenAuthorityTests, TheCacheKeySeparatesTokensStudiesMethodsAndRouteClasses)
{
  authority.Ask(Question("tok-1", kStudyA));
  authority.Ask(Question("tok-2", kStudyA));
  authority.Ask(Question("tok-1", kStudyB));
  RemoteQuestion post = Question();
  post.method = HttpMethod::Post;
  authority.Ask(post);
  RemoteQuestion system = Question();
  system.level = "system";
  system.access = RouteAccess::AnyShare;
  authority.Ask(system);
  EXPECT_EQ(5u, transport.sent.size());
  // Another route of the same class on the same study: the same answer.
  RemoteQuestion series = Question();
  series.uri = "/studies/" + kStudyA + "/series";
  authority.Ask(series);
  EXPECT_EQ(5u, transport.sent.size());
}

TEST_F(RemoteTokenAuthorityTests, DownloadsAreNeverServedFromTheCache)
{
  RemoteQuestion download = Question();
  download.uri = "/studies/" + kStudyA + "/archive";
  download.access = RouteAccess::Download;
  authority.Ask(download);
  authority.Ask(download);
  EXPECT_EQ(2u, transport.sent.size()) << "the service audits every download";
  EXPECT_EQ(0u, authority.CachedAnswers());
}

TEST_F(RemoteTokenAuthorityTests, ForgetAllOnRevocation)
{
  authority.Ask(Question("tok-1"));
  authority.Ask(Question("tok-2"));
  EXPECT_EQ(2u, authority.CachedAnswers());
  authority.ForgetAll();
  EXPECT_EQ(0u, authority.CachedAnswers());
  transport.reply = FakeTransport::Answer(R"({"granted": false, "validity": 60})");
  EXPECT_EQ(RemoteVerdict::Denied, authority.Ask(Question("tok-1")).verdict);
  EXPECT_EQ(3u, transport.sent.size());
}

TEST_F(RemoteTokenAuthorityTests, AnAnswerThatCrossedARevocationIsNotKept)
{
  transport.during = [this] { authority.ForgetAll(); };
  EXPECT_EQ(RemoteVerdict::Granted, authority.Ask(Question()).verdict);
  EXPECT_EQ(0u, authority.CachedAnswers());
  transport.during = nullptr;
  authority.Ask(Question());
  EXPECT_EQ(2u, transport.sent.size());
  EXPECT_EQ(1u, authority.CachedAnswers());
}

TEST_F(RemoteTokenAuthorityTests, TheCacheStaysBounded)
{
  RemoteAuthoritySettings small = Settings();
  small.cacheCapacity = 3;
  RemoteTokenAuthority bounded(small, transport, [this] { return nowMs; });
  for (int i = 0; i < 10; i++)
  {
    bounded.Ask(Question("tok-" + std::to_string(i)));
    EXPECT_LE(bounded.CachedAnswers(), 3u);
  }
  EXPECT_GE(bounded.CachedAnswers(), 1u);
}

TEST_F(RemoteTokenAuthorityTests, DetailsSayWhereAnAnswerCameFromAndNeverHoldTheToken)
{
  const RemoteAnswer first = authority.Ask(Question("very-secret"));
  const RemoteAnswer cached = authority.Ask(Question("very-secret"));
  EXPECT_EQ("cached", cached.detail);
  EXPECT_EQ(std::string::npos, first.detail.find("very-secret"));
  EXPECT_NE("cached", first.detail);
}
