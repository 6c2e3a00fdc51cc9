// SPDX-License-Identifier: GPL-3.0-or-later
// The token web-service protocol's bodies: every malformed body is a
// BadRequest that names what is wrong; good bodies are read as the
// authorization plugin, Orthanc Explorer 2 and orthanc-share send them.
#include "AuthWireProtocol.h"

#include "IsoTime.h"
#include "TestSupport.h"

#include <gtest/gtest.h>

using namespace studyshare;
using namespace studyshare::test;
using Json = nlohmann::json;

namespace
{
  const std::string kStone = "stone-viewer-publication";

  struct BadCase
  {
    const char* name;
    std::string body;
    const char* messagePart;
  };

  template <typename Parse>
  std::string ErrorOf(Parse parse)
  {
    try
    {
      parse();
    }
    catch (const BadRequest& e)
    {
      return e.what();
    }
    catch (const std::exception& e)
    {
      return std::string("NOT A BadRequest: ") + e.what();
    }
    return "accepted";
  }

  Json WireStudy()
  {
    return {{"level", "study"}, {"orthanc-id", kStudyA}, {"dicom-uid", kStudyUidA}};
  }

  // A good wire body with one field replaced (or added).
  std::string Wire(const char* key, const Json& value)
  {
    Json body = {{"resources", Json::array({WireStudy()})}, {"type", kStone}};
    body[key] = value;
    return body.dump();
  }

  std::string ResourceWith(const char* key, const Json& value)
  {
    Json resource = WireStudy();
    resource[key] = value;
    return Json({{"resources", Json::array({resource})}}).dump();
  }

  std::vector<BadCase> BadWireBodies()
  {
    Json many = Json::array();
    for (int i = 0; i < 101; i++)
    {
      many.push_back(WireStudy());
    }
    return {
      {"not_json", "{resources:", "JSON object"},
      {"empty", "", "JSON object"},
      {"array", "[]", "JSON object"},
      {"string", "\"resources\"", "JSON object"},
      {"null", "null", "JSON object"},
      {"no_resources", "{}", "'resources' must be a non-empty array"},
      {"resources_null", Wire("resources", nullptr), "'resources' must be a non-empty array"},
      {"resources_empty", Wire("resources", Json::array()), "'resources' must be a non-empty array"},
      {"resources_object", Wire("resources", WireStudy()), "'resources' must be a non-empty array"},
      {"resources_string", Wire("resources", kStudyA), "'resources' must be a non-empty array"},
      {"resource_not_object", Wire("resources", Json::array({kStudyA})), "'resources[0]' must be an object"},
      {"resource_empty", Wire("resources", Json::array({Json::object()})),
       "'resources[0]' needs 'orthanc-id' or 'dicom-uid'"},
      {"second_resource_bad", Wire("resources", Json::array({WireStudy(), Json::object()})), "'resources[1]' needs"},
      {"level_patient", ResourceWith("level", "patient"), "must be study"},
      {"level_instance", ResourceWith("level", "Instance"), "must be study"},
      {"level_number", ResourceWith("level", 2), "'resources[0].level' must be a string"},
      {"orthanc_id_short", ResourceWith("orthanc-id", "6b9e19d9"),
       "'resources[0].orthanc-id' is not an Orthanc identifier"},
      {"orthanc_id_upper", ResourceWith("orthanc-id", "6B9E19D9-62094390-5F9DDB01-4A191AE7-E7C01C29"),
       "not an Orthanc identifier"},
      {"orthanc_id_path", ResourceWith("orthanc-id", "../../patients/" + kPatientA), "not an Orthanc identifier"},
      {"orthanc_id_number", ResourceWith("orthanc-id", 42), "'resources[0].orthanc-id' must be a string"},
      {"dicom_uid_letters", ResourceWith("dicom-uid", "1.2.abc"), "'resources[0].dicom-uid' is not a DICOM UID"},
      {"dicom_uid_leading_dot", ResourceWith("dicom-uid", ".1.2.3"), "not a DICOM UID"},
      {"dicom_uid_too_long", ResourceWith("dicom-uid", "1." + std::string(63, '2')), "not a DICOM UID"},
      {"dicom_uid_array", ResourceWith("dicom-uid", Json::array({kStudyUidA})), "must be a string"},
      {"url_number", ResourceWith("url", 5), "'resources[0].url' must be a string"},
      {"date_without_zone", Wire("expiration-date", "2026-12-31T18:00:00"), "ISO-8601"},
      {"date_only", Wire("expiration-date", "2026-12-31"), "ISO-8601"},
      {"date_garbage", Wire("expiration-date", "next week"), "ISO-8601"},
      {"date_number", Wire("expiration-date", kNow + 3600), "'expiration-date' must be a string"},
      {"date_in_the_past", Wire("expiration-date", "2025-06-01T00:00:00Z"), "in the past"},
      {"date_now", Wire("expiration-date", FormatIsoTime(kNow)), "in the past"},
      {"validity_negative", Wire("validity-duration", -1), "'validity-duration' must be a whole number"},
      {"validity_fraction", Wire("validity-duration", 1.5), "'validity-duration' must be a whole number"},
      {"validity_string", Wire("validity-duration", "3600"), "'validity-duration' must be a whole number"},
      {"validity_boolean", Wire("validity-duration", true), "'validity-duration' must be a whole number"},
      {"validity_century", Wire("validity-duration", 101LL * 365 * 86400),
       "'validity-duration' must be a whole number"},
      {"validity_huge_unsigned", Wire("validity-duration", Json(18446744073709551615ULL)), "whole number"},
      {"type_differs", Wire("type", "ohif-viewer-publication"), "URL says stone-viewer-publication"},
      {"type_number", Wire("type", 1), "'type' must be a string"},
      {"id_number", Wire("id", 7), "'id' must be a string"},
      {"too_many_resources", Wire("resources", many), "too many resources"},
    };
  }

  class BadWireBody : public ::testing::TestWithParam<size_t>
  {
  };
}

TEST_P(BadWireBody, IsABadRequestNamingTheField)
{
  const BadCase c = BadWireBodies().at(GetParam());
  const std::string error = ErrorOf([&] { TokenCreation::ParseWire(kStone, c.body, kNow); });
  EXPECT_NE(std::string::npos, error.find(c.messagePart)) << c.name << ": " << error;
}

INSTANTIATE_TEST_SUITE_P(AuthWireProtocolTests, BadWireBody, ::testing::Range<size_t>(0, BadWireBodies().size()),
                         [](const auto& row) { return std::string(BadWireBodies().at(row.param).name); });

TEST(AuthWireProtocolTests, UnknownPathTypesAreRefused)
{
  const std::string body = Wire("type", nullptr);
  for (const std::string type :
       {"invalid", "", "Stone-Viewer-Publication", "stone-viewer", "stone-viewer-publication "})
  {
    const std::string error = ErrorOf([&] { TokenCreation::ParseWire(type, body, kNow); });
    EXPECT_NE(std::string::npos, error.find("unknown token type")) << type << ": " << error;
    EXPECT_NE(std::string::npos, error.find("ohif-viewer-publication")) << "lists the known types: " << error;
  }
}

TEST(AuthWireProtocolTests, ReadsTheBodyThePluginForwards)
{
  Json resource = WireStudy();
  resource["url"] = "https://example.org/x";
  const Json body = {{"id", "for dr. who"}, {"resources", {resource}}, {"type", kStone}, {"validity-duration", 3600}};
  const TokenCreation creation = TokenCreation::ParseWire(kStone, body.dump(), kNow);
  EXPECT_EQ(AuthTokenType::StoneViewerPublication, creation.type);
  EXPECT_EQ("for dr. who", creation.id);
  ASSERT_EQ(1u, creation.resources.size());
  EXPECT_EQ(kStudyA, creation.resources[0].orthancId);
  EXPECT_EQ(kStudyUidA, creation.resources[0].dicomUid);
  EXPECT_EQ("https://example.org/x", creation.resources[0].url);
  EXPECT_EQ("study", creation.resources[0].level);
  ASSERT_TRUE(creation.expiresAt.has_value());
  EXPECT_EQ(kNow + 3600, *creation.expiresAt);
  EXPECT_FALSE(creation.anonymized);

  EXPECT_EQ("2026-01-01T01:00:00Z", creation.request.at("expiration-date"));
  EXPECT_EQ(kStone, creation.request.at("type"));
  EXPECT_EQ(kStudyA, creation.request.at("resources").at(0).at("orthanc-id"));
  EXPECT_EQ(3600, creation.request.at("validity-duration")) << "echoed as sent";
}

TEST(AuthWireProtocolTests, OptionalFieldsMayBeAbsentOrNull)
{
  const std::string uidOnly = Json({{"resources", {{{"dicom-uid", kStudyUidA}}}}}).dump();
  const TokenCreation a = TokenCreation::ParseWire(kStone, uidOnly, kNow);
  ASSERT_EQ(1u, a.resources.size());
  EXPECT_EQ("study", a.resources[0].level);
  EXPECT_TRUE(a.resources[0].orthancId.empty());
  EXPECT_FALSE(a.expiresAt.has_value());

  const Json nulls = {{"resources", {{{"level", nullptr}, {"orthanc-id", kStudyA}, {"dicom-uid", nullptr}}}},
                      {"id", nullptr},
                      {"type", nullptr},
                      {"expiration-date", nullptr},
                      {"validity-duration", nullptr}};
  const TokenCreation b = TokenCreation::ParseWire(kStone, nulls.dump(), kNow);
  EXPECT_EQ(kStudyA, b.resources.at(0).orthancId);
  EXPECT_TRUE(b.id.empty());
  EXPECT_FALSE(b.expiresAt.has_value());

  // Level is compared without case; the plugin copies whatever it was given.
  const TokenCreation c = TokenCreation::ParseWire(kStone, ResourceWith("level", "STUDY"), kNow);
  EXPECT_EQ("study", c.resources.at(0).level);
}

TEST(AuthWireProtocolTests, ValidityDurationZeroMeansNoExpiry)
{
  EXPECT_FALSE(TokenCreation::ParseWire(kStone, Wire("validity-duration", 0), kNow).expiresAt.has_value());
  EXPECT_TRUE(
    TokenCreation::ParseWire(kStone, Wire("validity-duration", 0), kNow).request.at("expiration-date").is_null());
}

TEST(AuthWireProtocolTests, ExpirationDateWithZoneWinsOverAnyValidityDuration)
{
  const TokenCreation zoned =
    TokenCreation::ParseWire(kStone, Wire("expiration-date", "2026-01-02T02:00:00+02:00"), kNow);
  ASSERT_TRUE(zoned.expiresAt.has_value());
  EXPECT_EQ(kNow + 86400, *zoned.expiresAt);

  // As the Python service: the date decides, whatever the duration beside it.
  Json body = {{"resources", {WireStudy()}}, {"expiration-date", "2026-01-02T00:00:00Z"}, {"validity-duration", 60}};
  EXPECT_EQ(kNow + 86400, TokenCreation::ParseWire(kStone, body.dump(), kNow).expiresAt.value());
  body["validity-duration"] = 7 * 86400;
  EXPECT_EQ(kNow + 86400, TokenCreation::ParseWire(kStone, body.dump(), kNow).expiresAt.value());
  // What the authorization plugin 0.11.4 sends when Orthanc Explorer 2 gives a date only.
  for (const Json& nonsense : {Json(3284718333565747200LL), Json(-5), Json("x"), Json(1.5)})
  {
    body["validity-duration"] = nonsense;
    EXPECT_EQ(kNow + 86400, TokenCreation::ParseWire(kStone, body.dump(), kNow).expiresAt.value()) << nonsense;
  }
  const Json explorer = {{"Resources", {{{"OrthancId", kStudyA}}}},
                         {"ExpirationDate", "2026-01-02T00:00:00Z"},
                         {"ValidityDuration", 3284718333565747200LL}};
  EXPECT_EQ(kNow + 86400, TokenCreation::ParseExplorer(kStone, explorer.dump(), kNow).expiresAt.value());
  // Alone, a nonsense duration is still refused.
  EXPECT_THROW(TokenCreation::ParseWire(kStone, Wire("validity-duration", 3284718333565747200LL), kNow), BadRequest);
}

TEST(AuthWireProtocolTests, AHundredResourcesAreAccepted)
{
  Json resources = Json::array();
  for (int i = 0; i < 100; i++)
  {
    resources.push_back(WireStudy());
  }
  EXPECT_EQ(100u, TokenCreation::ParseWire(kStone, Wire("resources", resources), kNow).resources.size());
}

TEST(AuthWireProtocolTests, ExplorerBodies)
{
  const Json study = {{"OrthancId", kStudyA}, {"DicomUid", kStudyUidA}, {"Level", "study"}};
  const Json good = {
    {"Resources", {study}}, {"Type", "ohif-viewer-publication"}, {"ValidityDuration", 600}, {"Id", "label"}};
  const TokenCreation creation = TokenCreation::ParseExplorer("ohif-viewer-publication", good.dump(), kNow);
  EXPECT_EQ(AuthTokenType::OhifViewerPublication, creation.type);
  EXPECT_EQ("label", creation.id);
  EXPECT_EQ(kNow + 600, creation.expiresAt.value());
  EXPECT_EQ(kStudyUidA, creation.resources.at(0).dicomUid);
  // The kebab-case form, as it goes to a token service.
  const Json wire = creation.ToWire();
  EXPECT_EQ("label", wire.at("id"));
  EXPECT_EQ(kStudyA, wire.at("resources").at(0).at("orthanc-id"));
  EXPECT_EQ("ohif-viewer-publication", wire.at("type"));
  EXPECT_EQ(FormatIsoTime(kNow + 600), wire.at("expiration-date"));

  Json pluginSpelling = good;
  pluginSpelling.erase("Id");
  pluginSpelling["ID"] = "plugin";
  EXPECT_EQ("plugin", TokenCreation::ParseExplorer("ohif-viewer-publication", pluginSpelling.dump(), kNow).id);
  // The wire dialect does not read the Explorer's ID.
  EXPECT_TRUE(TokenCreation::ParseWire(kStone, Wire("ID", "x"), kNow).id.empty());

  const std::vector<BadCase> bad = {
    {"not_json", "Resources", "JSON object"},
    {"no_resources", "{}", "'Resources' must be a non-empty array"},
    {"kebab_case_body", Wire("validity-duration", 60), "'Resources' must be a non-empty array"},
    {"level_series", Json({{"Resources", {{{"Level", "series"}, {"OrthancId", kSeriesA}}}}}).dump(),
     "'Resources[0].Level' must be study"},
    {"no_ids", Json({{"Resources", {{{"Level", "study"}}}}}).dump(), "needs 'OrthancId' or 'DicomUid'"},
    {"bad_orthanc_id", Json({{"Resources", {{{"OrthancId", "x"}}}}}).dump(), "'Resources[0].OrthancId' is not"},
    {"bad_uid", Json({{"Resources", {{{"DicomUid", "1..x"}}}}}).dump(), "'Resources[0].DicomUid' is not"},
    {"date_without_zone", Json({{"Resources", {study}}, {"ExpirationDate", "2026-06-01T00:00:00"}}).dump(),
     "'ExpirationDate' must be an ISO-8601"},
    {"negative_validity", Json({{"Resources", {study}}, {"ValidityDuration", -86400}}).dump(),
     "'ValidityDuration' must be a whole number"},
    {"type_differs", Json({{"Resources", {study}}, {"Type", kStone}}).dump(), "'Type' says"},
  };
  for (const BadCase& c : bad)
  {
    const std::string error = ErrorOf([&] { TokenCreation::ParseExplorer("ohif-viewer-publication", c.body, kNow); });
    EXPECT_NE(std::string::npos, error.find(c.messagePart)) << c.name << ": " << error;
  }
}

TEST(AuthWireProtocolTests, LegacyShares)
{
  const Json body = {{"type", "stone-viewer"},
                     {"studies", {{{"dicom-uid", kStudyUidA}}}},
                     {"expiration-date", "2026-02-01T00:00:00Z"},
                     {"id", "old"}};
  const TokenCreation creation = TokenCreation::ParseLegacyShare(body.dump(), kNow);
  EXPECT_EQ(AuthTokenType::StoneViewerPublication, creation.type);
  EXPECT_EQ(kStudyUidA, creation.resources.at(0).dicomUid);
  EXPECT_EQ(ParseIsoTime("2026-02-01T00:00:00Z"), creation.expiresAt);
  EXPECT_EQ("old", creation.id);
  EXPECT_FALSE(creation.anonymized);
  EXPECT_TRUE(creation.request.contains("studies")) << "the request is echoed as sent";

  Json anonymized = body;
  anonymized["anonymized"] = true;
  anonymized["type"] = "osimis-viewer-publication";
  const TokenCreation a = TokenCreation::ParseLegacyShare(anonymized.dump(), kNow);
  EXPECT_TRUE(a.anonymized);
  EXPECT_EQ(AuthTokenType::OsimisViewerPublication, a.type);

  const std::vector<BadCase> bad = {
    {"not_object", "[]", "JSON object"},
    {"no_type", Json({{"studies", {{{"dicom-uid", kStudyUidA}}}}}).dump(), "'type' is missing"},
    {"unknown_type", Json({{"type", "web-viewer"}, {"studies", {{{"dicom-uid", kStudyUidA}}}}}).dump(),
     "unknown share type"},
    {"type_number", Json({{"type", 3}, {"studies", {{{"dicom-uid", kStudyUidA}}}}}).dump(), "'type' must be a string"},
    {"no_studies", Json({{"type", kStone}}).dump(), "'studies' must be a non-empty array"},
    {"studies_empty", Json({{"type", kStone}, {"studies", Json::array()}}).dump(), "'studies' must be a non-empty"},
    {"anonymized_string",
     Json({{"type", kStone}, {"studies", {{{"dicom-uid", kStudyUidA}}}}, {"anonymized", "yes"}}).dump(),
     "'anonymized' must be true or false"},
    {"bad_uid", Json({{"type", kStone}, {"studies", {{{"dicom-uid", "abc"}}}}}).dump(), "not a DICOM UID"},
    {"date_in_the_past",
     Json({{"type", kStone}, {"studies", {{{"dicom-uid", kStudyUidA}}}}, {"expiration-date", "2020-01-01T00:00:00Z"}})
       .dump(),
     "in the past"},
  };
  for (const BadCase& c : bad)
  {
    const std::string error = ErrorOf([&] { TokenCreation::ParseLegacyShare(c.body, kNow); });
    EXPECT_NE(std::string::npos, error.find(c.messagePart)) << c.name << ": " << error;
  }
}

TEST(AuthWireProtocolTests, ValidationQueryAsThePluginSendsIt)
{
  const Json body = {
    {"dicom-uid", kStudyUidA},      {"orthanc-id", kStudyA},       {"level", "Study"},     {"method", "GET"},
    {"token-key", "Authorization"}, {"token-value", "Bearer abc"}, {"server-id", nullptr}, {"labels", {"x"}}};
  const ValidationQuery query = ValidationQuery::Parse(body.dump());
  EXPECT_EQ("study", query.level);
  EXPECT_EQ("get", query.method);
  EXPECT_EQ(kStudyA, query.orthancId);
  EXPECT_EQ(kStudyUidA, query.dicomUid);
  EXPECT_EQ("Authorization", query.tokenKey);
  EXPECT_EQ("Bearer abc", query.tokenValue);
  EXPECT_TRUE(query.serverId.empty());

  const ValidationQuery system = ValidationQuery::Parse(R"({"level":"system","method":"head","uri":"/system"})");
  EXPECT_EQ("head", system.method);
  EXPECT_EQ("/system", system.uri);
  EXPECT_TRUE(system.tokenValue.empty()) << "anonymous: no token, still a well-formed question";

  // ToWire then Parse gives the same question; empty fields go out as null.
  const Json wire = query.ToWire();
  EXPECT_TRUE(wire.at("server-id").is_null());
  EXPECT_TRUE(wire.at("uri").is_null());
  const ValidationQuery again = ValidationQuery::Parse(wire.dump());
  EXPECT_EQ(query.orthancId, again.orthancId);
  EXPECT_EQ(query.dicomUid, again.dicomUid);
  EXPECT_EQ(query.tokenValue, again.tokenValue);
  EXPECT_EQ(query.level, again.level);
}

TEST(AuthWireProtocolTests, BadValidationQueries)
{
  const std::vector<BadCase> bad = {
    {"not_json", "level=study", "JSON object"},
    {"array", "[{}]", "JSON object"},
    {"no_level", R"({"method":"get"})", "'level' is missing"},
    {"no_method", R"({"level":"study"})", "'method' is missing"},
    {"level_plural", R"({"level":"studies","method":"get"})", "'level' must be one of"},
    {"level_number", R"({"level":1,"method":"get"})", "'level' must be a string"},
    {"method_patch", R"({"level":"study","method":"patch"})", "'method' must be one of"},
    {"method_null", R"({"level":"study","method":null})", "'method' is missing"},
    {"token_number", R"({"level":"study","method":"get","token-value":5})", "'token-value' must be a string"},
    {"orthanc_id_array", R"({"level":"study","method":"get","orthanc-id":[]})", "'orthanc-id' must be a string"},
    {"uri_object", R"({"level":"system","method":"get","uri":{}})", "'uri' must be a string"},
  };
  for (const BadCase& c : bad)
  {
    const std::string error = ErrorOf([&] { ValidationQuery::Parse(c.body); });
    EXPECT_NE(std::string::npos, error.find(c.messagePart)) << c.name << ": " << error;
  }
}

TEST(AuthWireProtocolTests, DecodeAndProfileQueries)
{
  const DecodeQuery wire = DecodeQuery::ParseWire(R"({"token-key":"token","token-value":"Bearer t"})");
  EXPECT_EQ("token", wire.tokenKey);
  EXPECT_EQ("Bearer t", wire.tokenValue);
  const DecodeQuery explorer = DecodeQuery::ParseExplorer(R"({"TokenKey":"token","TokenValue":"t"})");
  EXPECT_EQ("t", explorer.tokenValue);

  EXPECT_NE(std::string::npos, ErrorOf([] { DecodeQuery::ParseWire("{}"); }).find("'token-value' is missing"));
  EXPECT_NE(std::string::npos, ErrorOf([] { DecodeQuery::ParseWire(R"({"token-value":null})"); }).find("missing"));
  EXPECT_NE(std::string::npos,
            ErrorOf([] { DecodeQuery::ParseWire(R"({"token-value":3})"); }).find("must be a string"));
  EXPECT_NE(std::string::npos, ErrorOf([] { DecodeQuery::ParseWire("token"); }).find("JSON object"));
  EXPECT_NE(std::string::npos, ErrorOf([] { DecodeQuery::ParseExplorer("{}"); }).find("'TokenValue' is missing"));
  EXPECT_NE(std::string::npos,
            ErrorOf([] { DecodeQuery::ParseExplorer(R"({"token-value":"t"})"); }).find("'TokenValue' is missing"));

  const ProfileQuery profile =
    ProfileQuery::Parse(R"({"token-key":"authorization","token-value":"Basic eA==","identifier":"node-1"})");
  EXPECT_EQ("authorization", profile.tokenKey);
  EXPECT_EQ("Basic eA==", profile.tokenValue);
  EXPECT_EQ("node-1", profile.identifier);
  EXPECT_TRUE(ProfileQuery::Parse("{}").tokenValue.empty());
  EXPECT_NE(std::string::npos, ErrorOf([] { ProfileQuery::Parse(R"({"identifier":1})"); }).find("must be a string"));
  EXPECT_NE(std::string::npos, ErrorOf([] { ProfileQuery::Parse("[]"); }).find("JSON object"));
}

// StudyShare's plugin adds what Orthanc says of the study; read on the wire only.
TEST(AuthWireProtocolTests, StudyDetailsTravelOnTheWire)
{
  Json resource = WireStudy();
  resource["patient-name"] = "DOE^JANE";
  resource["patient-id"] = "P1";
  resource["study-date"] = "20240101";
  resource["study-description"] = "CT CHEST";
  const Json body = {{"resources", {resource}}, {"type", kStone}, {"validity-duration", 3600}};
  const TokenCreation creation = TokenCreation::ParseWire(kStone, body.dump(), kNow);
  ASSERT_EQ(1u, creation.resources.size());
  EXPECT_EQ("DOE^JANE", creation.resources[0].patientName);
  EXPECT_EQ("P1", creation.resources[0].patientId);
  EXPECT_EQ("20240101", creation.resources[0].studyDate);
  EXPECT_EQ("CT CHEST", creation.resources[0].studyDescription);
  const Json wire = creation.ToWire().at("resources").at(0);
  EXPECT_EQ("DOE^JANE", wire.at("patient-name"));
  EXPECT_EQ("CT CHEST", wire.at("study-description"));

  Json plain = WireStudy();
  const Json without = TokenCreation::ParseWire(kStone, Json({{"resources", {plain}}, {"type", kStone}}).dump(), kNow)
                         .ToWire()
                         .at("resources")
                         .at(0);
  EXPECT_FALSE(without.contains("patient-name")) << "absent details stay absent";

  resource["patient-name"] = 42;
  const Json bad = {{"resources", {resource}}, {"type", kStone}, {"validity-duration", 3600}};
  EXPECT_THROW(TokenCreation::ParseWire(kStone, bad.dump(), kNow), BadRequest);
}
