// SPDX-License-Identifier: GPL-3.0-or-later
// Remote mode names the client to the token service ("ip" in the validation
// question): sent by the plugin's side, read strictly by the service, and
// believed only from an authenticated caller.
#include "AuthTokenService.h"
#include "RemoteTokenAuthority.h"

#include "TokenServiceWorld.h"

#include <gtest/gtest.h>

using namespace studyshare;
using namespace studyshare::test;
using Json = nlohmann::json;

namespace
{
  class RecordingTransport : public ITokenServiceTransport
  {
  public:
    TransportReply Send(const std::string&, const std::string&, const std::string& jsonBody) override
    {
      bodies.push_back(Json::parse(jsonBody));
      return {true, 200, R"({"granted": true, "validity": 0})", ""};
    }

    std::vector<Json> bodies;
  };

  Json ArchiveQuery(const std::string& token, const Json& ip)
  {
    Json query = TokenServiceWorld::PluginQuery(token);
    query["uri"] = "/studies/" + kStudyA + "/archive";
    if (!ip.is_null())
    {
      query["ip"] = ip;
    }
    return query;
  }
}

TEST(ClientAddressTests, TheQuestionCarriesTheClientNormalized)
{
  Json body = {{"level", "study"}, {"method", "get"}, {"ip", "::ffff:198.51.100.7"}};
  EXPECT_EQ("198.51.100.7", ValidationQuery::Parse(body.dump()).clientAddress);
  body["ip"] = "2001:DB8:0::1";
  EXPECT_EQ("2001:db8::1", ValidationQuery::Parse(body.dump()).clientAddress);
  body["ip"] = nullptr;
  EXPECT_EQ("", ValidationQuery::Parse(body.dump()).clientAddress);
  for (const Json& bad : {Json("198.51.100.7, 10.0.0.1"), Json("[::1]"), Json("10.0.0.1:8042"), Json("host.example"),
                          Json(7), Json::array()})
  {
    body["ip"] = bad;
    EXPECT_THROW(ValidationQuery::Parse(body.dump()), BadRequest) << bad.dump();
  }

  ValidationQuery query;
  query.level = "study";
  query.method = "get";
  EXPECT_FALSE(query.ToWire().contains("ip")) << "no client, no field (the Python service never sees one)";
  query.clientAddress = "198.51.100.7";
  EXPECT_EQ("198.51.100.7", query.ToWire().at("ip"));
}

TEST(ClientAddressTests, RemoteModeSendsTheClientOfTheRequest)
{
  RecordingTransport transport;
  RemoteTokenAuthority authority(RemoteAuthoritySettings(), transport, [] { return kNow * 1000; });
  RemoteQuestion question;
  question.token = "t";
  question.orthancId = kStudyA;
  question.uri = "/studies/" + kStudyA;
  question.clientAddress = "203.0.113.4";
  authority.Ask(question);
  question.clientAddress.clear();
  question.orthancId = kStudyB;
  authority.Ask(question);
  ASSERT_EQ(2u, transport.bodies.size());
  EXPECT_EQ("203.0.113.4", transport.bodies[0].at("ip"));
  EXPECT_FALSE(transport.bodies[1].contains("ip"));
}

TEST(ClientAddressTests, OnlyAnAuthenticatedCallerNamesTheClient)
{
  TokenServiceWorld world;
  const std::string token =
    world.TokenOf("download-instant-link", TokenServiceWorld::CreationBody("download-instant-link"));
  const std::string id = world.ShareIdOf(token);

  world.caller.authenticated = true;
  ASSERT_EQ(200, world.Validate(ArchiveQuery(token, "198.51.100.23")).status);
  world.caller.authenticated = false;  // --loopback-only: anyone on the machine may ask
  ASSERT_EQ(200, world.Validate(ArchiveQuery(token, "198.51.100.24")).status);
  world.caller.authenticated = true;
  ASSERT_EQ(200, world.Validate(ArchiveQuery(token, nullptr)).status);
  EXPECT_EQ(400, world.Validate(ArchiveQuery(token, "not-an-address")).status);

  std::vector<std::string> clients;
  for (const AuditEvent& event : world.sqlite.ListAudit(id))
  {
    if (event.event == "download")
    {
      clients.push_back(event.clientAddress);
    }
  }
  EXPECT_EQ((std::vector<std::string>{"198.51.100.23", "192.0.2.7", "192.0.2.7"}), clients);
}
