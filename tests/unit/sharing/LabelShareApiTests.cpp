// SPDX-License-Identifier: GPL-3.0-or-later
// Making a share by label through the staff API, and what its recipients are
// shown: the studies carrying the label when they open it.
#include "OpenAnswer.h"
#include "ShareApi.h"

#include "SqliteShareStore.h"
#include "TestSupport.h"
#include "gate/FakeStudyLabels.h"

#include <gtest/gtest.h>

using namespace studyshare;
using namespace studyshare::test;

namespace
{
  class LabelShareApiTests : public ::testing::Test
  {
  protected:
    LabelShareApiTests()
    {
      keys.AddHmacKey("k1", kSecret);
      keys.SetSigningKey("k1");
      config.publicUrl = "https://share.example.org";
      catalog.Add(kStudyA, kStudyUidA);
      catalog.Add(kStudyB, kStudyUidB);
      catalog.Add(kStudyC, kStudyUidShared);
      staff.AddPlainUser("carol", "x", StaffRole::Sharer);
      staff.SetLabels("carol", {"teaching", "demo"});
      staff.AddPlainUser("sam", "x", StaffRole::Sharer);
      api.SetStaffLabels(&staff, &labels);
    }

    static ApiCaller Caller(const std::string& name, StaffRole role = StaffRole::Sharer)
    {
      return {{name, role}, "192.0.2.1", "unit-test"};
    }

    static std::string LabelBody(const std::string& label)
    {
      return R"({"Resources": [{"Level": "Label", "Label": ")" + label + R"("}], "ValidityDuration": 600})";
    }

    size_t Stored() { return store.List(ShareFilter{}).size(); }

    TempDir dir;
    SqliteShareStore store{dir.File("shares.db")};
    FakeCatalog catalog;
    FakeStudyLabels labels;
    StaffDirectory staff;
    KeyRing keys;
    SharingSettings config;
    TokenSigner signer{keys};
    ShareApi api{config, store, catalog, signer, [] { return kNow; }};
  };
}

TEST_F(LabelShareApiTests, AnAdminSharesALabel)
{
  const ApiResponse made = api.Create(LabelBody("teaching"), Caller("root", StaffRole::Admin));
  ASSERT_EQ(201, made.status) << made.body.dump();
  EXPECT_EQ("teaching", made.body.at("Label"));
  EXPECT_TRUE(made.body.at("Studies").empty());
  const std::optional<Share> stored = store.Lookup(made.body.at("ID"));
  ASSERT_TRUE(stored);
  EXPECT_EQ("teaching", stored->SharedLabel().value_or(""));
  EXPECT_EQ("teaching", api.Get(stored->id, Caller("root", StaffRole::Admin)).body.at("Label"));
  // a share of studies says it has no label
  const ApiResponse plain = api.Create(R"({"Resources": [{"Level": "Study", "OrthancId": ")" + kStudyA + R"("}]})",
                                       Caller("root", StaffRole::Admin));
  ASSERT_EQ(201, plain.status) << plain.body.dump();
  EXPECT_TRUE(plain.body.at("Label").is_null());
}

TEST_F(LabelShareApiTests, AnOrthancWithoutLabelsRefusesWith400)
{
  labels.support = LabelSupport::Unsupported;
  const ApiResponse refused = api.Create(LabelBody("teaching"), Caller("root", StaffRole::Admin));
  EXPECT_EQ(400, refused.status);
  EXPECT_NE(std::string::npos, refused.body.at("Message").get<std::string>().find("labels need Orthanc 1.12 or newer"));
  labels.support = LabelSupport::Unknown;
  EXPECT_EQ(503, api.Create(LabelBody("teaching"), Caller("root", StaffRole::Admin)).status);
  EXPECT_EQ(0u, Stored());
}

TEST_F(LabelShareApiTests, WithoutALabelSourceNoOneSharesByLabel)
{
  ShareApi bare{config, store, catalog, signer, [] { return kNow; }};
  EXPECT_EQ(400, bare.Create(LabelBody("teaching"), Caller("root", StaffRole::Admin)).status);
  EXPECT_EQ(0u, Stored());
}

TEST_F(LabelShareApiTests, ALabelLimitedSharerSharesOnlyItsLabels)
{
  EXPECT_EQ(201, api.Create(LabelBody("teaching"), Caller("carol")).status);
  EXPECT_EQ(201, api.Create(LabelBody("demo"), Caller("carol")).status);
  const ApiResponse refused = api.Create(LabelBody("research"), Caller("carol"));
  EXPECT_EQ(403, refused.status);
  EXPECT_NE(std::string::npos, refused.body.at("Message").get<std::string>().find("research"));
  // labels are case-sensitive in Orthanc
  EXPECT_EQ(403, api.Create(LabelBody("Teaching"), Caller("carol")).status);
  EXPECT_EQ(2u, Stored());
  // a sharer without Labels shares any label
  EXPECT_EQ(201, api.Create(LabelBody("research"), Caller("sam")).status);
}

TEST_F(LabelShareApiTests, BadLabelsAre400AndStoreNothing)
{
  for (const std::string& body :
       {LabelBody("a b"), LabelBody(""), LabelBody(std::string(65, 'x')), LabelBody("x/../y"),
        std::string(R"({"Resources": [{"Level": "Label", "Label": "a"}, {"Level": "Label", "Label": "b"}]})")})
  {
    const ApiResponse refused = api.Create(body, Caller("root", StaffRole::Admin));
    EXPECT_EQ(400, refused.status) << body;
    EXPECT_TRUE(refused.body.at("Message").is_string());
  }
  EXPECT_EQ(0u, Stored());
}

TEST_F(LabelShareApiTests, RecipientsAreShownTheStudiesCarryingTheLabelNow)
{
  Share share;
  share.id = "s1";
  share.studies = {SharedStudy::ForLabel("teaching")};
  nlohmann::json answer = BuildOpenAnswer(share, catalog, &labels, "session", kNow + 60, nlohmann::json::object());
  ASSERT_EQ(1u, answer.at("Studies").size());
  EXPECT_EQ(kStudyA, answer["Studies"][0].at("OrthancId"));
  EXPECT_EQ(kStudyUidA, answer["Studies"][0].at("DicomUid"));
  EXPECT_EQ("DOE^JANE", answer["Studies"][0].at("PatientName"));
  EXPECT_EQ(1u, answer["Studies"][0].at("Series").size());
  EXPECT_EQ("teaching", answer.at("Label"));
  EXPECT_FALSE(answer.at("StudiesTruncated"));

  labels.labels[kStudyB].push_back("teaching");
  labels.labels[kStudyA].clear();
  answer = BuildOpenAnswer(share, catalog, &labels, "session", kNow + 60, nlohmann::json::object());
  ASSERT_EQ(1u, answer.at("Studies").size());
  EXPECT_EQ(kStudyB, answer["Studies"][0].at("OrthancId"));

  labels.unavailable = true;
  EXPECT_THROW(BuildOpenAnswer(share, catalog, &labels, "session", kNow + 60, nlohmann::json::object()),
               CatalogUnavailable);
  EXPECT_THROW(BuildOpenAnswer(share, catalog, nullptr, "session", kNow + 60, nlohmann::json::object()),
               CatalogUnavailable);
}

TEST_F(LabelShareApiTests, TheListShownIsCappedAndSaysSo)
{
  for (int i = 0; i < 105; i++)
  {
    char id[64];
    snprintf(id, sizeof(id), "%08x-00000000-00000000-00000000-00000000", i);
    catalog.Add(id, "1.2.3." + std::to_string(i));
    labels.labels[id] = {"teaching"};
  }
  Share share;
  share.studies = {SharedStudy::ForLabel("teaching")};
  const nlohmann::json answer =
    BuildOpenAnswer(share, catalog, &labels, "session", kNow + 60, nlohmann::json::object());
  EXPECT_EQ(kMaxLabelStudiesShown, answer.at("Studies").size());
  EXPECT_TRUE(answer.at("StudiesTruncated"));
}
