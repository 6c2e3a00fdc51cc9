// SPDX-License-Identifier: GPL-3.0-or-later
// studyshare-service's settings: the environment (through a SettingSource),
// the command line and the configuration file, checked before it listens.
#include "ServiceSettings.h"

#include "TestSupport.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

using namespace studyshare;
using namespace studyshare::test;
using Json = nlohmann::json;

namespace
{
  using Environment = std::map<std::string, std::string>;

  const std::string kServiceSecret = "a-service-secret-of-more-than-32-bytes!!";

  SettingSource From(const Environment& environment)
  {
    return [environment](const std::string& name) -> std::optional<std::string>
    {
      const auto found = environment.find(name);
      return found == environment.end() ? std::nullopt : std::optional<std::string>(found->second);
    };
  }

  Environment Minimal()
  {
    return {{"SECRET_KEY", kServiceSecret}, {"USERS", R"({"share-user": "change-me"})"}};
  }

  Environment With(Environment environment, const std::string& name, const std::optional<std::string>& value)
  {
    if (value)
    {
      environment[name] = *value;
    }
    else
    {
      environment.erase(name);
    }
    return environment;
  }

  std::string ErrorOf(const Environment& environment, const ServiceOptions& options = ServiceOptions())
  {
    try
    {
      ServiceSettings::Load(options, From(environment));
    }
    catch (const ConfigurationError& e)
    {
      return e.what();
    }
    catch (const std::exception& e)
    {
      return std::string("NOT A ConfigurationError: ") + e.what();
    }
    return "accepted";
  }

  ServiceOptions Loopback(const std::string& bind = "127.0.0.1")
  {
    ServiceOptions options;
    options.bind = bind;
    options.loopbackOnly = true;
    return options;
  }

  class ConfigFile
  {
  public:
    explicit ConfigFile(const Json& content) { std::ofstream(dir_.File("orthanc.json")) << content.dump(); }
    explicit ConfigFile(const std::string& text) { std::ofstream(dir_.File("orthanc.json")) << text; }
    ServiceOptions Options() const
    {
      ServiceOptions options;
      options.configPath = dir_.File("orthanc.json");
      return options;
    }

  private:
    TempDir dir_;
  };
}

TEST(ServiceSettingsTests, MinimalEnvironment)
{
  const ServiceSettings settings = ServiceSettings::Load(ServiceOptions(), From(Minimal()));
  ASSERT_EQ(1u, settings.shared.keys.size());
  EXPECT_EQ(kServiceSecret, settings.shared.keys[0].material);
  EXPECT_EQ(TokenAlgorithm::HS256, settings.shared.keys[0].algorithm);
  EXPECT_EQ(settings.shared.keys[0].kid, settings.shared.signingKid);
  EXPECT_TRUE(settings.shared.generatedSecretPath.empty()) << "SECRET_KEY replaces the generated secret file";
  ASSERT_EQ(1u, settings.callers.size());
  EXPECT_EQ("share-user", settings.callers[0].name);
  EXPECT_EQ("change-me", settings.callers[0].secret);
  EXPECT_FALSE(settings.callers[0].hashed);
  EXPECT_FALSE(settings.AllowsAnonymousCallers());
  EXPECT_EQ("studyshare", settings.tokens.audience);
  EXPECT_EQ("", settings.tokens.serverId);
  // Without a StudyShare section beside it (the Python service's drop-in
  // set-up), only the PUBLIC_* roots say where viewers are.
  EXPECT_EQ("", settings.tokens.roots.orthancRoot);
  EXPECT_EQ("", settings.tokens.roots.ownLandingUrl);
  EXPECT_EQ("", settings.tokens.roots.ohifRoot);
  EXPECT_EQ("", settings.tokens.roots.meddreamRoot);
  EXPECT_EQ("", settings.meddreamTokenServiceUrl);
  EXPECT_NO_THROW(settings.shared.BuildKeyRing());
}

TEST(ServiceSettingsTests, PublicRootsAndServerId)
{
  Environment environment = Minimal();
  environment["PUBLIC_ORTHANC_ROOT"] = "https://pacs.example.org/orthanc";
  environment["PUBLIC_LANDING_ROOT"] = "https://pacs.example.org/orthanc/ui/app/token-landing.html";
  environment["PUBLIC_OHIF_ROOT"] = "https://pacs.example.org/ohif";
  environment["PUBLIC_MEDDREAM_ROOT"] = "https://md.example.org";
  environment["MEDDREAM_TOKEN_SERVICE_URL"] = "http://meddream:8088/v3/generate";
  environment["SERVER_ID"] = "node-1";
  const ServiceSettings settings = ServiceSettings::Load(ServiceOptions(), From(environment));
  EXPECT_EQ("https://pacs.example.org/orthanc/", settings.tokens.roots.orthancRoot);
  EXPECT_EQ("https://pacs.example.org/orthanc/ui/app/token-landing.html", settings.tokens.roots.landingRoot);
  EXPECT_EQ("https://pacs.example.org/ohif/", settings.tokens.roots.ohifRoot);
  EXPECT_EQ("dicom-json", settings.tokens.roots.ohifDataSource) << "the Python service's factory default";
  EXPECT_EQ("https://md.example.org/", settings.tokens.roots.meddreamRoot);
  EXPECT_EQ("http://meddream:8088/v3/generate", settings.meddreamTokenServiceUrl);
  EXPECT_EQ("node-1", settings.tokens.serverId);

  environment["OHIF_DATA_SOURCE"] = "dicom-web";
  EXPECT_EQ("dicom-web", ServiceSettings::Load(ServiceOptions(), From(environment)).tokens.roots.ohifDataSource);
}

TEST(ServiceSettingsTests, ThePluginsPublicUrlGivesItsOwnRootsUnlessPublicRootsAreSet)
{
  const ConfigFile withUrl(Json({{"StudyShare", {{"PublicUrl", "https://pacs.example.org/orthanc/"}}}}));
  const ServiceSettings own = ServiceSettings::Load(withUrl.Options(), From(Minimal()));
  EXPECT_EQ("https://pacs.example.org/orthanc/", own.tokens.roots.orthancRoot);
  EXPECT_EQ("https://pacs.example.org/orthanc/share/", own.tokens.roots.ownLandingUrl);

  const ServiceSettings overridden = ServiceSettings::Load(
    withUrl.Options(), From(With(Minimal(), "PUBLIC_ORTHANC_ROOT", "https://public.example.org/pacs")));
  EXPECT_EQ("https://public.example.org/pacs/", overridden.tokens.roots.orthancRoot);
  EXPECT_EQ("https://pacs.example.org/orthanc/share/", overridden.tokens.roots.ownLandingUrl);

  const ConfigFile withoutUrl(Json({{"StudyShare", {{"Audience", "studyshare"}}}}));
  const ServiceSettings none = ServiceSettings::Load(withoutUrl.Options(), From(Minimal()));
  EXPECT_EQ("", none.tokens.roots.orthancRoot) << "no PublicUrl: the default localhost URL is no public root";
  EXPECT_EQ("", none.tokens.roots.ownLandingUrl);
}

TEST(ServiceSettingsTests, BadEnvironments)
{
  struct Case
  {
    const char* name;
    Environment environment;
    const char* messagePart;
  };
  const std::vector<Case> cases = {
    {"no_secret", With(Minimal(), "SECRET_KEY", std::nullopt), "SECRET_KEY"},
    {"users_not_json", With(Minimal(), "USERS", "share-user:change-me"), "USERS must be a JSON object"},
    {"users_array", With(Minimal(), "USERS", R"(["share-user"])"), "USERS must be a JSON object"},
    {"users_string", With(Minimal(), "USERS", R"("share-user")"), "USERS must be a JSON object"},
    {"users_number_password", With(Minimal(), "USERS", R"({"share-user": 1234})"), "'share-user'"},
    {"users_empty_password", With(Minimal(), "USERS", R"({"share-user": ""})"), "non-empty string"},
    {"users_null_password", With(Minimal(), "USERS", R"({"share-user": null})"), "non-empty string"},
    {"users_empty_name", With(Minimal(), "USERS", R"({"": "pw"})"), "non-empty string"},
    {"users_empty_object", With(Minimal(), "USERS", "{}"), "no caller credentials"},
    {"no_users", With(Minimal(), "USERS", std::nullopt), "no caller credentials"},
    {"ohif_data_source_unknown", With(Minimal(), "OHIF_DATA_SOURCE", "wado"), "OHIF_DATA_SOURCE"},
    {"ohif_data_source_case", With(Minimal(), "OHIF_DATA_SOURCE", "DICOM-WEB"), "OHIF_DATA_SOURCE"},
    {"meddream_root_only", With(Minimal(), "PUBLIC_MEDDREAM_ROOT", "https://md.example.org/"), "both"},
    {"meddream_service_only", With(Minimal(), "MEDDREAM_TOKEN_SERVICE_URL", "http://md:8088/"), "both"},
    {"orthanc_root_not_http", With(Minimal(), "PUBLIC_ORTHANC_ROOT", "ftp://pacs.example.org/"), "http(s)"},
    {"landing_root_relative", With(Minimal(), "PUBLIC_LANDING_ROOT", "/ui/app/token-landing.html"), "http(s)"},
    {"ohif_root_javascript", With(Minimal(), "PUBLIC_OHIF_ROOT", "javascript:alert(1)"), "http(s)"},
  };
  for (const Case& c : cases)
  {
    const std::string error = ErrorOf(c.environment);
    EXPECT_NE(std::string::npos, error.find(c.messagePart)) << c.name << ": " << error;
  }
}

TEST(ServiceSettingsTests, CallersMayBeSkippedOnlyOnLoopback)
{
  const Environment noUsers = With(Minimal(), "USERS", std::nullopt);
  for (const std::string bind : {"127.0.0.1", "127.0.0.53", "::1", "localhost"})
  {
    const ServiceSettings settings = ServiceSettings::Load(Loopback(bind), From(noUsers));
    EXPECT_TRUE(settings.AllowsAnonymousCallers()) << bind;
    EXPECT_TRUE(settings.callers.empty()) << bind;
  }
  for (const std::string bind : {"0.0.0.0", "::", "192.0.2.10", "128.0.0.1", "10.127.0.1"})
  {
    EXPECT_NE(std::string::npos, ErrorOf(noUsers, Loopback(bind)).find("--loopback-only needs a loopback")) << bind;
    EXPECT_NE(std::string::npos, ErrorOf(Minimal(), Loopback(bind)).find("--loopback-only"))
      << "even with USERS: " << bind;
  }
  ServiceOptions loopbackBind;
  loopbackBind.bind = "127.0.0.1";
  EXPECT_NE(std::string::npos, ErrorOf(noUsers, loopbackBind).find("no caller credentials"))
    << "a loopback address alone is not enough: loopback-only must be asked for";

  // With callers and loopback-only, callers may still authenticate; nobody has to.
  const ServiceSettings both = ServiceSettings::Load(Loopback(), From(Minimal()));
  EXPECT_TRUE(both.AllowsAnonymousCallers());
  EXPECT_EQ(1u, both.callers.size());
}

TEST(ServiceSettingsTests, IsLoopbackAddress)
{
  for (const char* address : {"127.0.0.1", "127.1.2.3", "127.255.255.255", "::1", "localhost"})
  {
    EXPECT_TRUE(IsLoopbackAddress(address)) << address;
  }
  for (const char* address : {"0.0.0.0", "::", "128.0.0.1", "10.0.0.1", "", "127.0.0.1.example.org", "::ffff:8.8.8.8",
                              "localhost.example.org"})
  {
    EXPECT_FALSE(IsLoopbackAddress(address)) << address;
  }
}

TEST(ServiceSettingsTests, TokenServiceSection)
{
  const ConfigFile file(
    Json({{"StudyShare", {{"PublicUrl", "https://pacs.example.org/orthanc"}}},
          {"TokenService",
           {{"AnswerValidity", 30},
            {"LoopbackOnly", false},
            {"Callers", {{"orthanc", {{"PasswordHash", "$argon2id$v=19$m=65536,t=2,p=1$x$y"}}}}}}}}));
  const ServiceSettings settings = ServiceSettings::Load(file.Options(), From(With(Minimal(), "USERS", std::nullopt)));
  EXPECT_EQ(30, settings.tokens.answerValiditySeconds);
  ASSERT_EQ(1u, settings.callers.size());
  EXPECT_EQ("orthanc", settings.callers[0].name);
  EXPECT_TRUE(settings.callers[0].hashed);
  EXPECT_EQ("https://pacs.example.org/orthanc/share/", settings.tokens.roots.ownLandingUrl);
  EXPECT_EQ("https://pacs.example.org/orthanc/", settings.tokens.roots.orthancRoot);

  const ConfigFile loopback(Json({{"TokenService", {{"LoopbackOnly", true}}}}));
  ServiceOptions options = loopback.Options();
  EXPECT_TRUE(ServiceSettings::Load(options, From(With(Minimal(), "USERS", std::nullopt))).AllowsAnonymousCallers());
  options.bind = "0.0.0.0";
  EXPECT_NE(std::string::npos, ErrorOf(With(Minimal(), "USERS", std::nullopt), options).find("--loopback-only"));
}

TEST(ServiceSettingsTests, BadTokenServiceSections)
{
  struct Case
  {
    const char* name;
    Json section;
    const char* messagePart;
  };
  const std::vector<Case> cases = {
    {"unknown_key", {{"Calers", Json::object()}}, "unknown key 'TokenService.Calers'"},
    {"not_object", Json::array(), "'TokenService' must be a JSON object"},
    {"loopback_string", {{"LoopbackOnly", "yes"}}, "'TokenService.LoopbackOnly' must be true or false"},
    {"validity_negative", {{"AnswerValidity", -1}}, "'TokenService.AnswerValidity' must be 0..3600"},
    {"validity_too_long", {{"AnswerValidity", 3601}}, "'TokenService.AnswerValidity'"},
    {"validity_fraction", {{"AnswerValidity", 1.5}}, "'TokenService.AnswerValidity'"},
    {"callers_array", {{"Callers", Json::array()}}, "'TokenService.Callers' must be an object"},
    {"caller_plain_password", {{"Callers", {{"orthanc", "secret"}}}}, "'TokenService.Callers.orthanc'"},
    {"caller_no_hash", {{"Callers", {{"orthanc", Json::object()}}}}, "'TokenService.Callers.orthanc'"},
    {"caller_extra_key",
     {{"Callers", {{"orthanc", {{"PasswordHash", "$argon2id$x"}, {"Role", "admin"}}}}}},
     "'TokenService.Callers.orthanc'"},
    {"caller_hash_number", {{"Callers", {{"orthanc", {{"PasswordHash", 5}}}}}}, "'TokenService.Callers.orthanc'"},
  };
  for (const Case& c : cases)
  {
    const ConfigFile file(Json({{"TokenService", c.section}}));
    const std::string error = ErrorOf(Minimal(), file.Options());
    EXPECT_NE(std::string::npos, error.find(c.messagePart)) << c.name << ": " << error;
  }
}

TEST(ServiceSettingsTests, ConfigurationFileAndKeys)
{
  // The plugin's keys serve the service too, without SECRET_KEY.
  const ConfigFile shared(Json({{"StudyShare", {{"Secret", kSecret}, {"Audience", "hospital"}}}}));
  const ServiceSettings settings =
    ServiceSettings::Load(shared.Options(), From(With(Minimal(), "SECRET_KEY", std::nullopt)));
  ASSERT_EQ(1u, settings.shared.keys.size());
  EXPECT_EQ(kSecret, settings.shared.keys[0].material);
  EXPECT_EQ("hospital", settings.tokens.audience);

  EXPECT_NE(std::string::npos, ErrorOf(Minimal(), shared.Options()).find("both set")) << "one source of keys";

  ServiceOptions missing;
  missing.configPath = "/nonexistent/studyshare/orthanc.json";
  EXPECT_NE(std::string::npos, ErrorOf(Minimal(), missing).find("cannot read"));
  const ConfigFile notJson(std::string("{\"StudyShare\": "));
  EXPECT_NE(std::string::npos, ErrorOf(Minimal(), notJson.Options()).find("not a JSON object"));
  const ConfigFile array(std::string("[1, 2]"));
  EXPECT_NE(std::string::npos, ErrorOf(Minimal(), array.Options()).find("not a JSON object"));
  const ConfigFile comments(
    std::string("// Orthanc allows comments\n{\"StudyShare\": {\"Secret\": \"" + kSecret + "\"}}"));
  EXPECT_EQ("accepted", ErrorOf(With(Minimal(), "SECRET_KEY", std::nullopt), comments.Options()));
  const ConfigFile badSection(Json({{"StudyShare", {{"NoSuchKey", 1}}}}));
  EXPECT_NE(std::string::npos, ErrorOf(Minimal(), badSection.Options()).find("NoSuchKey"));

  ServiceOptions store = shared.Options();
  store.storePath = "/var/lib/studyshare/shares.db";
  EXPECT_EQ("/var/lib/studyshare/shares.db",
            ServiceSettings::Load(store, From(With(Minimal(), "SECRET_KEY", std::nullopt))).shared.storePath);
}

TEST(ServiceSettingsTests, ShortSecretsAreRefusedBeforeListening)
{
  const ServiceSettings settings =
    ServiceSettings::Load(ServiceOptions(), From(With(Minimal(), "SECRET_KEY", "short")));
  EXPECT_THROW(settings.shared.BuildKeyRing(), ConfigurationError);
}

TEST(ServiceSettingsTests, SecretsThenEnvironment)
{
  TempDir secrets;
  std::ofstream(secrets.File("SECRET_KEY")) << "  from-the-file\n";
  ::setenv("STUDYSHARE_UNIT_SECRET_KEY", "x", 1);
  ::setenv("STUDYSHARE_UNIT_ONLY_ENV", "from-the-environment", 1);
  ::setenv("STUDYSHARE_UNIT_EMPTY", "", 1);
  const SettingSource source = SecretsThenEnvironment(secrets.File(""));
  EXPECT_EQ("from-the-file", source("SECRET_KEY"));
  EXPECT_EQ("from-the-environment", source("STUDYSHARE_UNIT_ONLY_ENV"));
  EXPECT_FALSE(source("STUDYSHARE_UNIT_EMPTY").has_value()) << "an empty variable is no setting";
  EXPECT_FALSE(source("STUDYSHARE_UNIT_NEVER_SET").has_value());
  std::ofstream(secrets.File("STUDYSHARE_UNIT_SECRET_KEY")) << "file-wins";
  EXPECT_EQ("file-wins", source("STUDYSHARE_UNIT_SECRET_KEY"));
  ::unsetenv("STUDYSHARE_UNIT_SECRET_KEY");
  ::unsetenv("STUDYSHARE_UNIT_ONLY_ENV");
  ::unsetenv("STUDYSHARE_UNIT_EMPTY");
}

TEST(ServiceSettingsTests, WithoutConfigTheStoreLivesInTheStateDirectory)
{
  ::unsetenv("STATE_DIRECTORY");
  EXPECT_EQ(std::string(kDefaultStateDirectory) + "/studyshare.db",
            ServiceSettings::Load(ServiceOptions(), From(Minimal())).shared.storePath);
  ::setenv("STATE_DIRECTORY", "/var/lib/studyshare-unit:/var/lib/other", 1);
  const ServiceSettings settings = ServiceSettings::Load(ServiceOptions(), From(Minimal()));
  ::unsetenv("STATE_DIRECTORY");
  EXPECT_EQ("/var/lib/studyshare-unit/studyshare.db", settings.shared.storePath);
  EXPECT_NE(std::string::npos, settings.storeSetting.find("STATE_DIRECTORY"));

  ServiceOptions explicitStore;
  explicitStore.storePath = "/srv/shares.db";
  EXPECT_EQ("/srv/shares.db", ServiceSettings::Load(explicitStore, From(Minimal())).shared.storePath);
}
