// SPDX-License-Identifier: GPL-3.0-or-later
// Orthanc Explorer 2's /auth/tokens routes, in PascalCase: answered by the
// in-process token service (local mode) or a token service over HTTP
// (remote mode), the kebab-case answers translated back.
#include "ExplorerTokenApi.h"

#include "IsoTime.h"
#include "TokenServiceWorld.h"

#include <gtest/gtest.h>

using namespace studyshare;
using namespace studyshare::test;
using Json = nlohmann::json;

namespace
{
  class FakeTransport : public ITokenServiceTransport
  {
  public:
    TransportReply Send(const std::string& method, const std::string& path, const std::string& jsonBody) override
    {
      calls.push_back({method, path, jsonBody});
      return reply;
    }

    struct Call
    {
      std::string method;
      std::string path;
      std::string body;
    };
    TransportReply reply = {true, 200, R"({"token": "remote-token", "url": "https://x.example/v?token=remote-token"})",
                            ""};
    std::vector<Call> calls;
  };

  // What Orthanc Explorer 2's share dialog sends.
  std::string ExplorerBody(const std::string& type, int64_t validity = 7 * 86400)
  {
    return Json({{"Resources", {{{"OrthancId", kStudyA}, {"DicomUid", kStudyUidA}, {"Level", "study"}}}},
                 {"Type", type},
                 {"ValidityDuration", validity}})
      .dump();
  }

  const AuthTokenService::Caller kCaller{"alice", "192.0.2.1", "unit-test"};

  const std::string kStudyUidC = "1.2.826.0.1.3680043.8.498.30000000000000000003";
  constexpr size_t kMaxStudies = 20;

  // The studies this server holds: A, B, C.
  struct HeldStudies : FakeCatalog
  {
    HeldStudies()
    {
      Add(kStudyA, kStudyUidA);
      Add(kStudyB, kStudyUidB);
      Add(kStudyC, kStudyUidC);
    }
  };

  FakeCatalog& TestCatalog()
  {
    static HeldStudies catalog;
    return catalog;
  }

  // Orthanc Explorer 2's body without its optional Type.
  std::string ExplorerBodyOf(const Json& resources)
  {
    return Json({{"Resources", resources}, {"ValidityDuration", 3600}}).dump();
  }
}

TEST(ExplorerTokenApiTests, LocalCreateAndDecode)
{
  TokenServiceWorld world;
  ExplorerTokenApi api(&world.service, nullptr, TestCatalog(), kMaxStudies, [&] { return world.now; });

  const ApiResponse created = api.Create("stone-viewer-publication", ExplorerBody("stone-viewer-publication"), kCaller);
  ASSERT_EQ(200, created.status) << created.body.dump();
  const std::string token = created.body.at("Token");
  EXPECT_EQ("https://pacs.example.org/orthanc/share/#token=" + token, created.body.at("Url"));
  EXPECT_EQ(2u, created.body.size()) << "only Token and Url, as the authorization plugin answers";
  const auto share = world.sqlite.Lookup(world.ShareIdOf(token));
  ASSERT_TRUE(share.has_value());
  EXPECT_EQ(kNow + 7 * 86400, share->expiresAt);
  EXPECT_EQ("alice", share->createdBy);

  const ApiResponse decoded = api.Decode(Json({{"TokenKey", "token"}, {"TokenValue", token}}).dump());
  ASSERT_EQ(200, decoded.status) << decoded.body.dump();
  EXPECT_EQ("stone-viewer-publication", decoded.body.at("TokenType"));
  EXPECT_FALSE(decoded.body.contains("ErrorCode"));
  EXPECT_NE(std::string::npos, decoded.body.at("RedirectUrl").get<std::string>().find("stone-webviewer/index.html"));
  EXPECT_EQ(Json::array({kStudyUidA}), decoded.body.at("ResourcesDicomIds"));
  EXPECT_EQ(Json::array({kStudyA}), decoded.body.at("ResourcesOrthancIds"));

  const ApiResponse instant = api.Create("viewer-instant-link", ExplorerBody("viewer-instant-link", 200), kCaller);
  ASSERT_EQ(200, instant.status) << instant.body.dump();
  EXPECT_TRUE(instant.body.at("Url").is_null()) << "Explorer 2 appends ?token= itself";
}

TEST(ExplorerTokenApiTests, LocalDecodeOfABadTokenIsAnAnswerNotAnError)
{
  TokenServiceWorld world;
  ExplorerTokenApi api(&world.service, nullptr, TestCatalog(), kMaxStudies, [&] { return world.now; });
  const ApiResponse decoded = api.Decode(R"({"TokenKey":"token","TokenValue":"nonsense"})");
  ASSERT_EQ(200, decoded.status);
  EXPECT_EQ("invalid", decoded.body.at("ErrorCode"));
  EXPECT_FALSE(decoded.body.contains("RedirectUrl"));
  EXPECT_FALSE(decoded.body.contains("TokenType"));
  EXPECT_TRUE(decoded.body.at("ResourcesDicomIds").empty());
  EXPECT_TRUE(decoded.body.at("ResourcesOrthancIds").empty());
}

TEST(ExplorerTokenApiTests, MalformedBodiesAre400AndReachNoService)
{
  TokenServiceWorld world;
  FakeTransport transport;
  ExplorerTokenApi local(&world.service, nullptr, TestCatalog(), kMaxStudies, [&] { return world.now; });
  ExplorerTokenApi remote(nullptr, &transport, TestCatalog(), kMaxStudies, [&] { return world.now; });
  const std::string study = R"({"OrthancId": ")" + kStudyA + R"("})";
  const std::vector<std::pair<std::string, std::string>> creations = {
    {"stone-viewer-publication", "not json"},
    {"stone-viewer-publication", "[]"},
    {"stone-viewer-publication", "{}"},
    {"stone-viewer-publication", R"({"Resources": []})"},
    {"stone-viewer-publication", R"({"Resources": [{"Level": "series", "OrthancId": ")" + kSeriesA + R"("}]})"},
    {"stone-viewer-publication", R"({"Resources": [{"OrthancId": "ABC"}]})"},
    {"stone-viewer-publication", R"({"Resources": [{"DicomUid": "1.2.x"}]})"},
    {"stone-viewer-publication", R"({"Resources": [)" + study + R"(], "ExpirationDate": "2026-06-01T00:00:00"})"},
    {"stone-viewer-publication", R"({"Resources": [)" + study + R"(], "ExpirationDate": "2020-06-01T00:00:00Z"})"},
    {"stone-viewer-publication", R"({"Resources": [)" + study + R"(], "ValidityDuration": -1})"},
    {"stone-viewer-publication", R"({"Resources": [)" + study + R"(], "Type": "ohif-viewer-publication"})"},
    {"no-such-type", R"({"Resources": [)" + study + R"(]})"},
    {"../settings/roles", R"({"Resources": [)" + study + R"(]})"},
  };
  for (ExplorerTokenApi* api : {&local, &remote})
  {
    for (const auto& [type, body] : creations)
    {
      const ApiResponse response = api->Create(type, body, kCaller);
      EXPECT_EQ(400, response.status) << type << " " << body;
      EXPECT_EQ("bad-request", response.body.value("Error", "")) << body;
      EXPECT_FALSE(response.body.value("Message", "").empty()) << body;
    }
    for (const std::string body :
         {"", "{}", R"({"TokenKey":"token"})", R"({"token-value":"x"})", R"({"TokenValue":5})"})
    {
      EXPECT_EQ(400, api->Decode(body).status) << body;
    }
  }
  EXPECT_TRUE(transport.calls.empty());
  EXPECT_TRUE(world.sqlite.List(ShareFilter()).empty());
}

TEST(ExplorerTokenApiTests, LocalRefusalsOfTheServiceKeepTheirMessage)
{
  TokenServiceSettings settings = TokenServiceWorld::DefaultSettings();
  settings.roots.ohifRoot.clear();
  TokenServiceWorld world(settings);
  ExplorerTokenApi api(&world.service, nullptr, TestCatalog(), kMaxStudies, [&] { return world.now; });
  const ApiResponse response = api.Create("ohif-viewer-publication", ExplorerBody("ohif-viewer-publication"), kCaller);
  EXPECT_EQ(400, response.status);
  EXPECT_NE(std::string::npos, response.body.value("Message", "").find("not published")) << response.body.dump();
}

TEST(ExplorerTokenApiTests, RemoteCreateSendsTheKebabCaseBody)
{
  FakeTransport transport;
  ExplorerTokenApi api(nullptr, &transport, TestCatalog(), kMaxStudies, [] { return kNow; });
  const ApiResponse response =
    api.Create("ohif-viewer-publication", ExplorerBody("ohif-viewer-publication", 600), kCaller);
  ASSERT_EQ(200, response.status) << response.body.dump();
  EXPECT_EQ(Json({{"Token", "remote-token"}, {"Url", "https://x.example/v?token=remote-token"}}), response.body);

  ASSERT_EQ(1u, transport.calls.size());
  EXPECT_EQ("PUT", transport.calls[0].method);
  EXPECT_EQ("/tokens/ohif-viewer-publication", transport.calls[0].path);
  const Json sent = Json::parse(transport.calls[0].body);
  EXPECT_EQ("ohif-viewer-publication", sent.at("type"));
  EXPECT_EQ(kStudyA, sent.at("resources").at(0).at("orthanc-id"));
  EXPECT_EQ(kStudyUidA, sent.at("resources").at(0).at("dicom-uid"));
  EXPECT_EQ("study", sent.at("resources").at(0).at("level"));
  EXPECT_EQ(FormatIsoTime(kNow + 600), sent.at("expiration-date"));
  EXPECT_FALSE(sent.contains("Resources"));
  EXPECT_EQ(kCaller.name, sent.at("created-by")) << "the staff member, so sharers own what they share";
}

TEST(ExplorerTokenApiTests, RemoteCreateFailures)
{
  struct Case
  {
    const char* name;
    TransportReply reply;
    int status;
    const char* messagePart;
  };
  const std::vector<Case> cases = {
    {"bad_request", {true, 400, R"({"message": "'resources' must be a non-empty array"})", ""}, 400, "'resources'"},
    // The Python service words its errors in "detail": passed on to staff.
    {"server_error", {true, 500, R"({"detail": "boom"})", ""}, 502, "boom"},
    {"unauthorized", {true, 401, R"({"detail": "Incorrect username or password."})", ""}, 502, "Incorrect username"},
    {"silent_error", {true, 500, R"({})", ""}, 502, "refused to create"},
    {"no_token", {true, 200, R"({"url": "https://x.example/"})", ""}, 502, "without a token"},
    {"token_not_string", {true, 200, R"({"token": 12})", ""}, 502, "without a token"},
  };
  for (const Case& c : cases)
  {
    FakeTransport transport;
    transport.reply = c.reply;
    ExplorerTokenApi api(nullptr, &transport, TestCatalog(), kMaxStudies, [] { return kNow; });
    const ApiResponse response =
      api.Create("stone-viewer-publication", ExplorerBody("stone-viewer-publication"), kCaller);
    EXPECT_EQ(c.status, response.status) << c.name;
    EXPECT_NE(std::string::npos, response.body.value("Message", "").find(c.messagePart))
      << c.name << ": " << response.body.dump();
    EXPECT_FALSE(response.body.contains("Token")) << c.name;
  }

  FakeTransport nullUrl;
  nullUrl.reply = {true, 200, R"({"token": "t", "url": null, "request": {}})", ""};
  ExplorerTokenApi api(nullptr, &nullUrl, TestCatalog(), kMaxStudies, [] { return kNow; });
  EXPECT_EQ(Json({{"Token", "t"}, {"Url", nullptr}}),
            api.Create("viewer-instant-link", ExplorerBody("viewer-instant-link"), kCaller).body);
}

// Call() words its own failures (503 "cannot be reached", 502 "not JSON");
// the staff's dialog should show them, not a refusal that never happened.
TEST(ExplorerTokenApiTests, RemoteFailuresSayWhyTheServiceGaveNoAnswer)
{
  struct Case
  {
    const char* name;
    TransportReply reply;
    int status;
    const char* messagePart;
  };
  const std::vector<Case> cases = {
    {"unreachable", {false, 0, "", "connection refused"}, 503, "cannot be reached"},
    {"not_json", {true, 200, "<html>", ""}, 502, "not JSON"},
    {"json_array", {true, 200, "[]", ""}, 502, "not JSON"},
  };
  for (const Case& c : cases)
  {
    FakeTransport transport;
    transport.reply = c.reply;
    ExplorerTokenApi api(nullptr, &transport, TestCatalog(), kMaxStudies, [] { return kNow; });
    const ApiResponse created =
      api.Create("stone-viewer-publication", ExplorerBody("stone-viewer-publication"), kCaller);
    EXPECT_EQ(c.status, created.status) << c.name;
    EXPECT_NE(std::string::npos, created.body.value("Message", "").find(c.messagePart))
      << c.name << ": " << created.body.dump();
    const ApiResponse decoded = api.Decode(R"({"TokenValue":"abc"})");
    EXPECT_EQ(c.status, decoded.status) << c.name;
    EXPECT_NE(std::string::npos, decoded.body.value("Message", "").find(c.messagePart))
      << c.name << ": " << decoded.body.dump();
  }
}

TEST(ExplorerTokenApiTests, RemoteDecodeTranslatesTheAnswer)
{
  FakeTransport transport;
  transport.reply = {true, 200,
                     Json({{"token-type", "stone-viewer-publication"},
                           {"error-code", nullptr},
                           {"redirect-url", "https://pacs.example.org/stone"},
                           {"resources",
                            {{{"dicom-uid", kStudyUidA}, {"orthanc-id", kStudyA}},
                             {{"dicom-uid", nullptr}, {"orthanc-id", kStudyB}},
                             {{"dicom-uid", kStudyUidShared}},
                             "not-an-object"}}})
                       .dump(),
                     ""};
  ExplorerTokenApi api(nullptr, &transport, TestCatalog(), kMaxStudies, [] { return kNow; });
  const ApiResponse response = api.Decode(R"({"TokenKey":"token","TokenValue":"Bearer abc"})");
  ASSERT_EQ(200, response.status) << response.body.dump();
  EXPECT_EQ("stone-viewer-publication", response.body.at("TokenType"));
  EXPECT_EQ("https://pacs.example.org/stone", response.body.at("RedirectUrl"));
  EXPECT_FALSE(response.body.contains("ErrorCode"));
  EXPECT_EQ(Json::array({kStudyUidA, kStudyUidShared}), response.body.at("ResourcesDicomIds"));
  EXPECT_EQ(Json::array({kStudyA, kStudyB}), response.body.at("ResourcesOrthancIds"));

  ASSERT_EQ(1u, transport.calls.size());
  EXPECT_EQ("POST", transport.calls[0].method);
  EXPECT_EQ("/tokens/decode", transport.calls[0].path);
  EXPECT_EQ(Json({{"token-key", "token"}, {"token-value", "Bearer abc"}}), Json::parse(transport.calls[0].body));

  transport.reply = {true, 200,
                     R"({"token-type": "stone-viewer-publication", "error-code": "expired", "resources": []})", ""};
  const ApiResponse expired = api.Decode(R"({"TokenValue":"abc"})");
  EXPECT_EQ("expired", expired.body.at("ErrorCode"));
  EXPECT_FALSE(expired.body.contains("RedirectUrl"));

  for (const TransportReply& failure : {TransportReply{false, 0, "", "down"}, TransportReply{true, 500, "{}", ""},
                                        TransportReply{true, 200, "nonsense", ""}})
  {
    transport.reply = failure;
    const ApiResponse failed = api.Decode(R"({"TokenValue":"abc"})");
    EXPECT_GE(failed.status, 500) << failure.status;
    EXPECT_FALSE(failed.body.contains("RedirectUrl")) << failure.status;
  }
}

// Issue 12 item 10: Orthanc Explorer 2's route makes shares through the same
// checks as the staff API, locally and in remote mode alike.
TEST(ExplorerTokenApiTests, CreationsPassTheShareApisChecks)
{
  TokenServiceWorld world;
  FakeTransport transport;
  ExplorerTokenApi local(&world.service, nullptr, TestCatalog(), kMaxStudies, [&] { return world.now; });
  ExplorerTokenApi remote(nullptr, &transport, TestCatalog(), kMaxStudies, [&] { return world.now; });

  Json tooMany = Json::array();
  for (size_t i = 0; i <= kMaxStudies; i++)
  {
    tooMany.push_back({{"OrthancId", kStudyA}, {"Level", "study"}});
  }
  const std::vector<std::pair<std::string, Json>> refused = {
    {"mismatched ids", Json::array({{{"OrthancId", kStudyC}, {"DicomUid", kStudyUidA}}})},
    {"too many", tooMany},
    {"unknown orthanc id", Json::array({{{"OrthancId", kSeriesA}}})},
    {"unknown uid", Json::array({{{"DicomUid", kSeriesUidA}}})},
    {"named twice", Json::array({{{"OrthancId", kStudyA}}, {{"DicomUid", kStudyUidA}}})},
  };
  for (ExplorerTokenApi* api : {&local, &remote})
  {
    for (const auto& [name, resources] : refused)
    {
      const ApiResponse response = api->Create("stone-viewer-publication", ExplorerBodyOf(resources), kCaller);
      EXPECT_EQ(400, response.status) << name << ": " << response.body.dump();
      EXPECT_EQ("bad-request", response.body.value("Error", "")) << name;
    }
  }
  EXPECT_TRUE(transport.calls.empty());
  EXPECT_TRUE(world.sqlite.List(ShareFilter()).empty());
}

TEST(ExplorerTokenApiTests, AStudyNamedByItsUidAloneIsSharedWithBothIdentifiers)
{
  TokenServiceWorld world;
  FakeTransport transport;
  ExplorerTokenApi local(&world.service, nullptr, TestCatalog(), kMaxStudies, [&] { return world.now; });
  ExplorerTokenApi remote(nullptr, &transport, TestCatalog(), kMaxStudies, [&] { return world.now; });

  const ApiResponse created =
    local.Create("viewer-instant-link", ExplorerBodyOf(Json::array({{{"DicomUid", kStudyUidB}}})), kCaller);
  ASSERT_EQ(200, created.status) << created.body.dump();
  const auto share = world.sqlite.Lookup(world.ShareIdOf(created.body.at("Token")));
  ASSERT_TRUE(share.has_value());
  ASSERT_EQ(1u, share->studies.size());
  EXPECT_EQ(kStudyB, share->studies[0].orthancId);
  EXPECT_EQ(kStudyUidB, share->studies[0].dicomUid);

  ASSERT_EQ(
    200, remote.Create("viewer-instant-link", ExplorerBodyOf(Json::array({{{"OrthancId", kStudyC}}})), kCaller).status);
  ASSERT_EQ(1u, transport.calls.size());
  const Json sent = Json::parse(transport.calls[0].body).at("resources").at(0);
  EXPECT_EQ(kStudyC, sent.at("orthanc-id"));
  EXPECT_EQ(kStudyUidC, sent.at("dicom-uid"));
}

TEST(ExplorerTokenApiTests, AnUnreadableCatalogIs503)
{
  TokenServiceWorld world;
  FakeCatalog down;
  down.unavailable = true;
  ExplorerTokenApi api(&world.service, nullptr, down, kMaxStudies, [&] { return world.now; });
  const ApiResponse response =
    api.Create("viewer-instant-link", ExplorerBodyOf(Json::array({{{"OrthancId", kStudyA}}})), kCaller);
  EXPECT_EQ(503, response.status) << response.body.dump();
  EXPECT_TRUE(world.sqlite.List(ShareFilter()).empty());
}

// Orthanc Explorer 2 names the study only: the share describes it from Orthanc,
// so the recipient's page shows the patient and the study (issue 21).
TEST(ExplorerTokenApiTests, ASharedStudyCarriesOrthancsDetails)
{
  TokenServiceWorld world;
  ExplorerTokenApi api(&world.service, nullptr, TestCatalog(), kMaxStudies, [&] { return world.now; });
  const ApiResponse created = api.Create("stone-viewer-publication", ExplorerBody("stone-viewer-publication"), kCaller);
  ASSERT_EQ(200, created.status) << created.body.dump();
  const auto share = world.sqlite.Lookup(world.ShareIdOf(created.body.at("Token")));
  ASSERT_TRUE(share.has_value());
  ASSERT_EQ(1u, share->studies.size());
  EXPECT_EQ("DOE^JANE", share->studies[0].patientName);
  EXPECT_EQ("PID-" + kStudyA.substr(0, 4), share->studies[0].patientId);
  EXPECT_EQ("20240101", share->studies[0].studyDate);
  EXPECT_EQ("CT CHEST", share->studies[0].studyDescription);
}

TEST(ExplorerTokenApiTests, RemoteCreateSendsTheStudysDetails)
{
  FakeTransport transport;
  ExplorerTokenApi api(nullptr, &transport, TestCatalog(), kMaxStudies, [] { return kNow; });
  ASSERT_EQ(200, api.Create("stone-viewer-publication", ExplorerBody("stone-viewer-publication"), kCaller).status);
  ASSERT_EQ(1u, transport.calls.size());
  const Json resource = Json::parse(transport.calls[0].body).at("resources").at(0);
  EXPECT_EQ("DOE^JANE", resource.at("patient-name"));
  EXPECT_EQ("20240101", resource.at("study-date"));
  EXPECT_EQ("CT CHEST", resource.at("study-description"));
  EXPECT_EQ("PID-" + kStudyA.substr(0, 4), resource.at("patient-id"));
}
