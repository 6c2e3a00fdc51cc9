// SPDX-License-Identifier: GPL-3.0-or-later
#include "StudyShareConfig.h"

#include "TestSupport.h"

#include <gtest/gtest.h>

#include <fstream>

using namespace studyshare;
using namespace studyshare::test;
using Json = nlohmann::json;

namespace
{
  std::string ErrorOf(const Json& configuration)
  {
    try
    {
      StudyShareConfig::Parse(configuration);
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

  Json WithSection(const Json& section)
  {
    return Json{{"StudyShare", section}};
  }
}

TEST(StudyShareConfigTests, Defaults)
{
  const StudyShareConfig config = StudyShareConfig::Parse(Json::object());
  EXPECT_EQ("http://localhost:8042", config.publicUrl);
  EXPECT_EQ("studyshare", config.audience);
  EXPECT_TRUE(config.keys.empty());
  EXPECT_EQ("OrthancStorage/studyshare-secret.key", config.generatedSecretPath);
  EXPECT_EQ("sqlite", config.storeType);
  EXPECT_EQ("OrthancStorage/studyshare.db", config.storePath);
  EXPECT_EQ("token", config.gate.tokenHeader);
  EXPECT_EQ("token", config.gate.tokenArgument);
  EXPECT_EQ("/dicom-web/", config.grammar.dicomWebRoot);
  EXPECT_EQ("/wado", config.grammar.wadoRoot);
  EXPECT_EQ(365LL * 86400, config.maxValidityDuration);
  EXPECT_TRUE(config.allowNeverExpiring);
  EXPECT_EQ(30, config.leewaySeconds);
  EXPECT_EQ(20, config.maxShareStudies);
  EXPECT_TRUE(config.staff.empty());
}

TEST(StudyShareConfigTests, ReadsOrthancAndSectionSettings)
{
  const Json configuration = {{"StorageDirectory", "/var/lib/orthanc/db"},
                              {"HttpPort", 8043},
                              {"RegisteredUsers", {{"orthanc", "orthanc"}}},
                              {"DicomWeb", {{"Root", "/pacs/"}, {"WadoRoot", "/pacs-wado"}}},
                              {"StudyShare",
                               {{"PublicUrl", "https://share.example.org/"},
                                {"Secret", std::string(40, 's')},
                                {"Store", {{"Type", "SQLite"}, {"Path", "/tmp/x.db"}}},
                                {"TokenHeader", "X-Share-Token"},
                                {"TokenArgument", "auth"},
                                {"LeewaySeconds", 5},
                                {"AllowNeverExpiring", false},
                                {"Users", {{"sam", {{"PasswordHash", "$argon2id$v=19$x"}, {"Role", "sharer"}}}}}}}};
  const StudyShareConfig config = StudyShareConfig::Parse(configuration);
  EXPECT_EQ("https://share.example.org", config.publicUrl);
  ASSERT_EQ(1u, config.keys.size());
  EXPECT_EQ("default", config.keys[0].kid);
  EXPECT_EQ("default", config.signingKid);
  EXPECT_TRUE(config.generatedSecretPath.empty());
  EXPECT_EQ("/tmp/x.db", config.storePath);
  EXPECT_EQ("x-share-token", config.gate.tokenHeader);
  EXPECT_EQ("auth", config.gate.tokenArgument);
  EXPECT_EQ("/pacs/", config.grammar.dicomWebRoot);
  EXPECT_EQ("/pacs-wado", config.grammar.wadoRoot);
  EXPECT_EQ(5, config.leewaySeconds);
  EXPECT_FALSE(config.allowNeverExpiring);
  ASSERT_EQ(2u, config.staff.size());
  KeyRing ring = config.BuildKeyRing();
  EXPECT_EQ(TokenAlgorithm::HS256, ring.GetSigningAlgorithm());
}

TEST(StudyShareConfigTests, DefaultStorePathFollowsStorageDirectory)
{
  const StudyShareConfig config = StudyShareConfig::Parse({{"StorageDirectory", "/srv/orthanc"}});
  EXPECT_EQ("/srv/orthanc/studyshare.db", config.storePath);
  EXPECT_EQ("/srv/orthanc/studyshare-secret.key", config.generatedSecretPath);
}

TEST(StudyShareConfigTests, PostgresqlStoreFromAConnectionOrAFile)
{
  const StudyShareConfig direct = StudyShareConfig::Parse(WithSection({{"Store",
                                                                        {{"Type", "PostgreSQL"},
                                                                         {"Connection", "host=db dbname=shares"},
                                                                         {"PoolSize", 4},
                                                                         {"ConnectTimeoutSeconds", 2},
                                                                         {"StatementTimeoutMilliseconds", 500}}}}));
  EXPECT_EQ("postgresql", direct.storeType);
  EXPECT_EQ("host=db dbname=shares", direct.postgres.connection);
  EXPECT_EQ(4, direct.postgres.poolSize);
  EXPECT_EQ(2, direct.postgres.connectTimeoutSeconds);
  EXPECT_EQ(500, direct.postgres.statementTimeoutMilliseconds);

  TempDir dir;
  const std::string file = dir.File("conninfo");
  {
    std::FILE* out = std::fopen(file.c_str(), "w");
    ASSERT_NE(nullptr, out);
    std::fputs("postgresql://studyshare:secret@db/shares\n", out);
    std::fclose(out);
  }
  const StudyShareConfig fromFile =
    StudyShareConfig::Parse(WithSection({{"Store", {{"Type", "postgresql"}, {"ConnectionFile", file}}}}));
  EXPECT_EQ("postgresql://studyshare:secret@db/shares", fromFile.postgres.connection);

  EXPECT_NE(std::string::npos, ErrorOf(WithSection({{"Store", {{"Type", "postgresql"}}}})).find("needs 'Connection'"));
  EXPECT_NE(std::string::npos,
            ErrorOf(WithSection({{"Store", {{"Type", "postgresql"}, {"Connection", "x"}, {"ConnectionFile", file}}}}))
              .find("not both"));
  EXPECT_NE(std::string::npos,
            ErrorOf(WithSection({{"Store", {{"Type", "postgresql"}, {"Connection", "x"}, {"PoolSize", 0}}}}))
              .find("StudyShare.Store.PoolSize"));
}

TEST(StudyShareConfigTests, UnknownKeysAreRejectedByName)
{
  EXPECT_NE(std::string::npos, ErrorOf(WithSection({{"PublicURL", "http://x"}})).find("StudyShare.PublicURL"));
  EXPECT_NE(std::string::npos, ErrorOf(WithSection({{"Store", {{"Pth", "/x"}}}})).find("StudyShare.Store.Pth"));
  EXPECT_NE(std::string::npos,
            ErrorOf(WithSection({{"Users", {{"sam", {{"PasswordHash", "$argon2id$x"}, {"Rol", "admin"}}}}}}))
              .find("StudyShare.Users.sam.Rol"));
  EXPECT_NE(
    std::string::npos,
    ErrorOf(WithSection({{"Keys", Json::array({{{"Kid", "a"}, {"Algorithm", "HS256"}, {"Secret", "x"}, {"Foo", 1}}})}}))
      .find("StudyShare.Keys[0].Foo"));
}

TEST(StudyShareConfigTests, WrongTypesAndRangesAreRejectedByName)
{
  struct Case
  {
    Json section;
    const char* key;
  };
  for (const Case& c : std::vector<Case>{
         {{{"PublicUrl", 5}}, "StudyShare.PublicUrl"},
         {{{"LeewaySeconds", "30"}}, "StudyShare.LeewaySeconds"},
         {{{"LeewaySeconds", 1.5}}, "StudyShare.LeewaySeconds"},
         {{{"LeewaySeconds", 301}}, "StudyShare.LeewaySeconds"},
         {{{"LeewaySeconds", -1}}, "StudyShare.LeewaySeconds"},
         {{{"MaxValidityDuration", 59}}, "StudyShare.MaxValidityDuration"},
         {{{"AllowNeverExpiring", "true"}}, "StudyShare.AllowNeverExpiring"},
         {{{"AllowNeverExpiring", 1}}, "StudyShare.AllowNeverExpiring"},
         {{{"MaxStudiesPerShare", 0}}, "StudyShare.MaxStudiesPerShare"},
         {{{"Store", "sqlite"}}, "StudyShare.Store"},
         {{{"Store", {{"Type", "mysql"}}}}, "StudyShare.Store.Type"},
         {{{"Keys", {{"Kid", "a"}}}}, "StudyShare.Keys"},
         {{{"Keys", Json::array({{{"Kid", "a"}, {"Algorithm", "RS256"}}})}}, "StudyShare.Keys[0].Algorithm"},
         {{{"Users", {{"sam", {{"PasswordHash", "$argon2id$x"}, {"Role", "root"}}}}}}, "StudyShare.Users.sam.Role"},
         {{{"Users", Json::array()}}, "StudyShare.Users"},
         {{{"Users", {{"sam", {{"PasswordHash", "$argon2id$x"}, {"Labels", "teaching"}}}}}},
          "StudyShare.Users.sam.Labels"},
         {{{"Users", {{"sam", {{"PasswordHash", "$argon2id$x"}, {"Labels", Json::array()}}}}}},
          "StudyShare.Users.sam.Labels"},
         {{{"Users", {{"sam", {{"PasswordHash", "$argon2id$x"}, {"Labels", {"a b"}}}}}}},
          "StudyShare.Users.sam.Labels"},
         {{{"Users", {{"sam", {{"PasswordHash", "$argon2id$x"}, {"Labels", {5}}}}}}}, "StudyShare.Users.sam.Labels"},
         {{{"Users", {{"sam", {{"PasswordHash", "$argon2id$x"}, {"Labels", {std::string(65, 'a')}}}}}}},
          "StudyShare.Users.sam.Labels"},
         {{{"Users", {{"sam", {{"PasswordHash", "$argon2id$x"}, {"Role", "admin"}, {"Labels", {"teaching"}}}}}}},
          "StudyShare.Users.sam.Labels"},
         {{{"Mode", "distributed"}}, "StudyShare.Mode"},
         {{{"TokenHeader", ""}}, "TokenHeader"},
         {{{"SecretFile", "/nonexistent/secret"}}, "StudyShare.SecretFile"},
       })
  {
    const std::string error = ErrorOf(WithSection(c.section));
    EXPECT_NE(std::string::npos, error.find(c.key)) << c.section.dump() << " -> " << error;
  }
  EXPECT_NE(std::string::npos, ErrorOf({{"StudyShare", 5}}).find("StudyShare"));
  EXPECT_NE(std::string::npos, ErrorOf({{"RegisteredUsers", {{"bob", 5}}}}).find("RegisteredUsers.bob"));
  EXPECT_NE(std::string::npos, ErrorOf(WithSection({{"PublicUrl", "ftp://x"}})).find("PublicUrl"));
  EXPECT_NE(std::string::npos,
            ErrorOf(WithSection({{"Secret", std::string(40, 'a')}, {"SecretFile", "/x"}})).find("not both"));
  EXPECT_NE(std::string::npos, ErrorOf(Json::array()).find("not a JSON object"));
}

TEST(StudyShareConfigTests, AuthenticationEnabledTrueIsRejected)
{
  EXPECT_NE(std::string::npos, ErrorOf({{"AuthenticationEnabled", true}}).find("AuthenticationEnabled"));
  EXPECT_EQ("accepted", ErrorOf({{"AuthenticationEnabled", false}}));
}

TEST(StudyShareConfigTests, KeysFromFilesAndBuildKeyRing)
{
  TempDir dir;
  const std::string pemPath = dir.File("ed.pem");
  const std::string secretPath = dir.File("secret.txt");
  std::ofstream(pemPath) << KeyRing::GenerateEd25519PrivatePem();
  std::ofstream(secretPath) << std::string(40, 'q') << "\n";
  const Json configuration =
    WithSection({{"Keys", Json::array({{{"Kid", "ed-2026"}, {"Algorithm", "EdDSA"}, {"PrivateKeyFile", pemPath}},
                                       {{"Kid", "hs-old"}, {"Algorithm", "HS256"}, {"SecretFile", secretPath}}})},
                 {"SigningKey", "ed-2026"}});
  const StudyShareConfig config = StudyShareConfig::Parse(configuration);
  ASSERT_EQ(2u, config.keys.size());
  EXPECT_EQ(std::string(40, 'q'), config.keys[1].material);  // trimmed
  KeyRing ring = config.BuildKeyRing();
  EXPECT_EQ("ed-2026", ring.GetSigningKeyId());
  EXPECT_EQ(TokenAlgorithm::EdDSA, ring.GetSigningAlgorithm());
  EXPECT_TRUE(ring.HasKey("hs-old"));
}

TEST(StudyShareConfigTests, BadKeyMaterialIsAConfigurationError)
{
  EXPECT_THROW(StudyShareConfig::Parse(WithSection({{"Secret", "short"}})).BuildKeyRing(), ConfigurationError);
  EXPECT_THROW(
    StudyShareConfig::Parse(WithSection({{"Secret", std::string(40, 'x')}, {"SigningKey", "nope"}})).BuildKeyRing(),
    ConfigurationError);
}

TEST(StudyShareConfigTests, GeneratedSecretIsKeptAcrossRestarts)
{
  TempDir dir;
  const std::string first = LoadOrCreateSecretFile(dir.File("secret.key"));
  EXPECT_GE(first.size(), KeyRing::kMinimumSecretBytes);
  EXPECT_EQ(first, LoadOrCreateSecretFile(dir.File("secret.key")));
  const StudyShareConfig config = StudyShareConfig::Parse({{"StorageDirectory", dir.File("")}});
  KeyRing ring = config.BuildKeyRing();
  EXPECT_EQ(TokenAlgorithm::HS256, ring.GetSigningAlgorithm());
}

TEST(StudyShareConfigTests, FillStaffDirectory)
{
  const StudyShareConfig config = StudyShareConfig::Parse(
    {{"RegisteredUsers", {{"orthanc", "pw"}}}, {"StudyShare", {{"Users", {{"bad", {{"PasswordHash", "plain"}}}}}}}});
  StaffDirectory directory;
  EXPECT_THROW(config.FillStaffDirectory(directory), ConfigurationError);
  const StudyShareConfig good = StudyShareConfig::Parse({{"RegisteredUsers", {{"orthanc", "pw"}}}});
  StaffDirectory staff;
  good.FillStaffDirectory(staff);
  const auto user = staff.Authenticate("orthanc", "pw");
  ASSERT_TRUE(user.has_value());
  EXPECT_EQ(StaffRole::Admin, user->role);
}

TEST(StudyShareConfigTests, SharerLabelsReachTheStaffDirectory)
{
  const StudyShareConfig config =
    StudyShareConfig::Parse({{"StudyShare",
                              {{"Users",
                                {{"carol",
                                  {{"PasswordHash", "$argon2id$v=19$m=65536,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo"},
                                   {"Labels", {"teaching", "research_2", "teaching"}}}}}}}}});
  ASSERT_EQ(1u, config.staff.size());
  EXPECT_EQ((std::vector<std::string>{"teaching", "research_2"}), config.staff[0].labels);
  StaffDirectory staff;
  config.FillStaffDirectory(staff);
  EXPECT_EQ((std::vector<std::string>{"teaching", "research_2"}), staff.LabelsOf("carol"));
  EXPECT_TRUE(staff.LabelsOf("nobody").empty());
}

// Orthanc's own keys that the plugin reads must also fail as a
// ConfigurationError naming the key, not as a bare JSON type error.
TEST(StudyShareConfigTests, OrthancKeysOfTheWrongTypeAreConfigurationErrors)
{
  EXPECT_NE(std::string::npos, ErrorOf({{"HttpPort", "8042"}}).find("'HttpPort'")) << ErrorOf({{"HttpPort", "8042"}});
  EXPECT_NE(std::string::npos, ErrorOf({{"StorageDirectory", 5}}).find("'StorageDirectory'"))
    << ErrorOf({{"StorageDirectory", 5}});
  EXPECT_NE(std::string::npos, ErrorOf({{"DicomWeb", {{"Root", 5}}}}).find("DicomWeb.Root"))
    << ErrorOf({{"DicomWeb", {{"Root", 5}}}});
}

TEST(StudyShareConfigTests, TrustedProxiesAreParsedOnceAndCheckedByName)
{
  EXPECT_TRUE(StudyShareConfig::Parse(Json::object()).trustedProxies.Empty());
  const StudyShareConfig config = StudyShareConfig::Parse(WithSection({{"TrustedProxies", {"127.0.0.1", "::1"}}}));
  EXPECT_EQ("203.0.113.7", config.trustedProxies.ClientAddressOf("::1", {{"X-Forwarded-For", "203.0.113.7"}}));
  const StudyShareConfig forwarded =
    StudyShareConfig::Parse(WithSection({{"TrustedProxies", {"127.0.0.1"}}, {"ForwardedHeader", "Forwarded"}}));
  EXPECT_EQ("203.0.113.7", forwarded.trustedProxies.ClientAddressOf(
                             "127.0.0.1", {{"X-Forwarded-For", "1.1.1.1"}, {"Forwarded", "for=203.0.113.7"}}));

  EXPECT_NE(std::string::npos,
            ErrorOf(WithSection({{"TrustedProxies", "127.0.0.1"}})).find("StudyShare.TrustedProxies"));
  EXPECT_NE(std::string::npos, ErrorOf(WithSection({{"TrustedProxies", {"127.0.0.1", 5}}})).find("TrustedProxies"));
  const std::string badRange = ErrorOf(WithSection({{"TrustedProxies", {"10.0.0.0/8", "10.0.0.0/40"}}}));
  EXPECT_NE(std::string::npos, badRange.find("10.0.0.0/40")) << badRange;
  EXPECT_NE(std::string::npos,
            ErrorOf(WithSection({{"ForwardedHeader", "X-Real-IP"}})).find("StudyShare.ForwardedHeader"));
}

TEST(StudyShareConfigTests, OhifRootMustNotOverlapAnotherRouteFamily)
{
  const auto withRoot = [](const std::string& root, const Json& orthanc = Json::object())
  {
    Json configuration = orthanc;
    configuration["StudyShare"] = {{"Ohif", {{"Root", root}}}};
    return ErrorOf(configuration);
  };
  for (const std::string root :
       {"/dicom-web", "/dicom-web/ohif", "/dicom-web/", "/studies", "/Studies/x", "/system", "/statistics",
        "/web-viewer/app", "/share/ohif", "/studyshare", "/wado", "/ui", "/patients", "/app", "/", "//"})
  {
    const std::string error = withRoot(root);
    EXPECT_NE(std::string::npos, error.find("StudyShare.Ohif.Root")) << root << ": " << error;
  }
  EXPECT_NE(std::string::npos, withRoot("/dicom-web/servers").find("overlaps the route family /dicom-web"));
  // A DICOMweb root moved elsewhere moves the family with it.
  const Json moved = {{"DicomWeb", {{"Root", "/pacs/dicom-web/"}}}};
  EXPECT_NE(std::string::npos, withRoot("/pacs", moved).find("overlaps")) << "covers the DICOMweb root";
  EXPECT_NE(std::string::npos, withRoot("/pacs/dicom-web/viewer", moved).find("overlaps"));
  EXPECT_EQ("accepted", withRoot("/dicom-web", moved)) << "the default root is free once DICOMweb moved";
  for (const std::string root : {"/ohif", "/ohif/", "/viewers/ohif", "/ohif-viewer", "/sharer"})
  {
    EXPECT_EQ("accepted", withRoot(root)) << root;
  }
}
