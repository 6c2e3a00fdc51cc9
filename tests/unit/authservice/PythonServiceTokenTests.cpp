// SPDX-License-Identifier: GPL-3.0-or-later
#include "Base64Url.h"
#include "Crypto.h"
#include "IsoTime.h"
#include "PythonServiceToken.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace studyshare
{
  namespace
  {
    using Json = nlohmann::json;

    const std::string kSecret = "python-service-secret-key-0123456789";
    const std::string kStudy = "6e2c0ec2-5d99c8ca-c1c21cee-79a09605-68391d12";
    const std::string kUid = "1.2.826.0.1.3680043.8.498.1";
    constexpr int64_t kNow = 1790000000;  // 2026-09-21, before every expiry below

    // jwt.encode(request.model_dump(), SECRET_KEY, algorithm="HS256") of the Python service.
    std::string Sign(const Json& header, const Json& payload, const std::string& secret = kSecret)
    {
      const std::string input = Base64UrlEncode(header.dump()) + "." + Base64UrlEncode(payload.dump());
      return input + "." + Base64UrlEncode(crypto::HmacSha256(secret, input));
    }

    Json Payload(const std::string& type = "stone-viewer-publication", const Json& expiration = nullptr)
    {
      return {{"id", nullptr},
              {"resources", {{{"dicom_uid", kUid}, {"orthanc_id", kStudy}, {"url", nullptr}, {"level", "study"}}}},
              {"type", type},
              {"expiration_date", expiration},
              {"validity_duration", nullptr}};
    }

    const Json kHeader = {{"alg", "HS256"}, {"typ", "JWT"}};
  }

  TEST(PythonServiceTokenTests, ReadsWhatThePythonServiceSigned)
  {
    const PythonTokenCheck check = ReadPythonServiceToken(Sign(kHeader, Payload()), kSecret, kNow);
    ASSERT_EQ(PythonTokenStatus::Valid, check.status);
    EXPECT_EQ(AuthTokenType::StoneViewerPublication, check.token.type);
    ASSERT_EQ(1u, check.token.studies.size());
    EXPECT_EQ(kStudy, check.token.studies[0].orthancId);
    EXPECT_EQ(kUid, check.token.studies[0].dicomUid);
    EXPECT_FALSE(check.token.expiresAt.has_value());
  }

  TEST(PythonServiceTokenTests, ExpiryInEveryFormPythonWrites)
  {
    const struct
    {
      const char* text;
      int64_t expected;
    } cases[] = {
      {"2027-01-15T08:00:00+00:00", *ParseIsoTime("2027-01-15T08:00:00Z")},
      {"2027-01-15T08:00:00.123456+00:00", *ParseIsoTime("2027-01-15T08:00:00Z")},
      {"2027-01-15T08:00:00", *ParseIsoTime("2027-01-15T08:00:00Z")},  // naive: UTC
      {"2027-01-15T09:00:00+01:00", *ParseIsoTime("2027-01-15T08:00:00Z")},
    };
    for (const auto& c : cases)
    {
      const PythonTokenCheck check =
        ReadPythonServiceToken(Sign(kHeader, Payload("viewer-instant-link", c.text)), kSecret, kNow);
      ASSERT_EQ(PythonTokenStatus::Valid, check.status) << c.text;
      EXPECT_EQ(c.expected, check.token.expiresAt.value_or(0)) << c.text;
    }
    const std::string late = Sign(kHeader, Payload("viewer-instant-link", FormatIsoTime(kNow)));
    EXPECT_EQ(PythonTokenStatus::Expired, ReadPythonServiceToken(late, kSecret, kNow).status);
    EXPECT_EQ(PythonTokenStatus::Valid, ReadPythonServiceToken(late, kSecret, kNow - 1).status);
  }

  TEST(PythonServiceTokenTests, KebabFieldNamesToo)
  {
    Json payload = Payload();
    payload["resources"] = {{{"dicom-uid", kUid}, {"orthanc-id", kStudy}, {"level", "study"}}};
    payload["expiration-date"] = "2030-01-01T00:00:00+00:00";
    payload.erase("expiration_date");
    const PythonTokenCheck check = ReadPythonServiceToken(Sign(kHeader, payload), kSecret, kNow);
    ASSERT_EQ(PythonTokenStatus::Valid, check.status);
    EXPECT_EQ(kStudy, check.token.studies.at(0).orthancId);
    EXPECT_TRUE(check.token.expiresAt.has_value());
  }

  TEST(PythonServiceTokenTests, RefusesEverythingElse)
  {
    const std::string good = Sign(kHeader, Payload());
    Json unknownType = Payload("patient-portal");
    Json badId = Payload();
    badId["resources"][0]["orthanc_id"] = "../../patients";
    Json seriesOnly = Payload();
    seriesOnly["resources"][0]["level"] = "series";
    Json badDate = Payload("stone-viewer-publication", "tomorrow");
    const std::pair<const char*, std::string> cases[] = {
      {"empty secret", ""},
      {"wrong secret", Sign(kHeader, Payload(), "another-secret-entirely-0123456789")},
      {"alg none", Sign({{"alg", "none"}, {"typ", "JWT"}}, Payload())},
      {"alg HS512", Sign({{"alg", "HS512"}, {"typ", "JWT"}}, Payload())},
      {"alg not a string", Sign({{"alg", 1}}, Payload())},
      {"no alg", Sign({{"typ", "JWT"}}, Payload())},
      {"extra header field", Sign({{"alg", "HS256"}, {"typ", "JWT"}, {"kid", "x"}}, Payload())},
      {"other typ", Sign({{"alg", "HS256"}, {"typ", "studyshare-share+jwt"}}, Payload())},
      {"unknown type", Sign(kHeader, unknownType)},
      {"bad orthanc id", Sign(kHeader, badId)},
      {"no study resource", Sign(kHeader, seriesOnly)},
      {"bad date", Sign(kHeader, badDate)},
      {"two parts", good.substr(0, good.rfind('.'))},
      {"four parts", good + ".x"},
      {"tampered payload", Base64UrlEncode(kHeader.dump()) + "." +
                             Base64UrlEncode(Payload("download-instant-link").dump()) + good.substr(good.rfind('.'))},
      {"huge", std::string(9000, 'a') + "." + "b" + "." + "c"},
    };
    for (const auto& [name, token] : cases)
    {
      const std::string secret = std::string(name) == "empty secret" ? "" : kSecret;
      const std::string input = std::string(name) == "empty secret" ? good : token;
      EXPECT_EQ(PythonTokenStatus::Invalid, ReadPythonServiceToken(input, secret, kNow).status) << name;
    }
  }
}
