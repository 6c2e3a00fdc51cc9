// SPDX-License-Identifier: GPL-3.0-or-later
// Shared fixtures for the core unit tests: realistic identifiers, hand-made
// tokens, temporary files and in-memory fakes of the core's interfaces.
#pragma once

#include "Base64Url.h"
#include "Crypto.h"
#include "HttpRequest.h"
#include "IResourceResolver.h"
#include "IShareStore.h"
#include "IStudyCatalog.h"
#include "KeyRing.h"
#include "TokenClaims.h"

#include <nlohmann/json.hpp>

#include <unistd.h>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace studyshare::test
{
  // --- Identifiers ----------------------------------------------------------
  // Orthanc ids: SHA-1 as five dash-separated groups of lower-case hex.
  // For the grammar, which refuses temporaries: what it reads borrows from them.
  inline const HttpPairs kNoArguments;
  inline const std::string kPatientA = "0f8e8a0c-1b2c3d4e-5f607182-93a4b5c6-d7e8f901";
  inline const std::string kPatientB = "a1b2c3d4-e5f60718-293a4b5c-6d7e8f90-1a2b3c4d";
  inline const std::string kStudyA = "6b9e19d9-62094390-5f9ddb01-4a191ae7-e7c01c29";
  inline const std::string kStudyB = "27f7126f-4f66fb14-03f4d5c5-9c2c2b5e-1f1b8e3a";
  inline const std::string kStudyC = "d2b5a4f8-0c1e3a9b-77e6f1d0-3c4b5a69-8e7f6d5c";
  inline const std::string kSeriesA = "c8ed0b5d-3e1f6a2b-9d4c7e8f-0a1b2c3d-4e5f6a7b";
  inline const std::string kSeriesB = "9a8b7c6d-5e4f3a2b-1c0d9e8f-7a6b5c4d-3e2f1a0b";
  inline const std::string kInstanceA = "e1d2c3b4-a5968778-69504132-23140506-f7e8d9ca";
  inline const std::string kInstanceB = "05f4e3d2-c1b0a998-87766554-43322110-0ffeeddc";
  // DICOM UIDs
  inline const std::string kStudyUidA = "1.2.840.113619.2.55.3.604688119.868.1234567890.123";
  inline const std::string kStudyUidB = "1.3.6.1.4.1.5962.1.2.1.20040119072730.12322";
  inline const std::string kStudyUidShared = "1.2.826.0.1.3680043.8.498.10000000000000000001";  // under two patients
  inline const std::string kSeriesUidA = "1.2.840.113619.2.55.3.604688119.868.1234567890.124";
  inline const std::string kSeriesUidB = "1.3.6.1.4.1.5962.1.3.1.1.20040119072730.12322";
  inline const std::string kSopUidA = "1.2.840.113619.2.55.3.604688119.868.1234567890.125.1";
  inline const std::string kSopUidB = "1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322";

  // --- Hand-made tokens -----------------------------------------------------
  inline const std::string kSecret = "0123456789abcdef0123456789abcdef-test-secret";
  inline const std::string kAudience = "studyshare";
  inline constexpr int64_t kNow = 1767225600;  // 2026-01-01T00:00:00Z

  inline std::string B64(const std::string& text)
  {
    return Base64UrlEncode(text);
  }

  inline std::string ShareTyp()
  {
    return ToTypHeader(TokenType::Share);
  }

  inline std::string SessionTyp()
  {
    return ToTypHeader(TokenType::Session);
  }

  inline nlohmann::ordered_json Header(const std::string& alg = "HS256", const std::string& typ = ShareTyp(),
                                       const std::string& kid = "k1")
  {
    return {{"alg", alg}, {"typ", typ}, {"kid", kid}};
  }

  inline nlohmann::ordered_json Payload(const std::string& jti = "share-1", int64_t now = kNow)
  {
    return {{"iss", "studyshare"}, {"aud", kAudience}, {"jti", jti}, {"iat", now}, {"nbf", now}, {"exp", now + 3600}};
  }

  // header.payload, both given as raw JSON text (so any byte can be sent).
  inline std::string SigningInput(const std::string& headerJson, const std::string& payloadJson)
  {
    return B64(headerJson) + "." + B64(payloadJson);
  }

  inline std::string HmacToken(const std::string& headerJson, const std::string& payloadJson,
                               const std::string& secret = kSecret)
  {
    const std::string input = SigningInput(headerJson, payloadJson);
    return input + "." + B64(crypto::HmacSha256(secret, input));
  }

  inline std::string HmacToken(const nlohmann::ordered_json& header, const nlohmann::ordered_json& payload,
                               const std::string& secret = kSecret)
  {
    return HmacToken(header.dump(), payload.dump(), secret);
  }

  // Ed25519 helpers (OpenSSL directly, independent of KeyRing).
  std::string PublicPemFromPrivatePem(const std::string& privatePem);
  std::string EcP256PrivatePem();

  // --- Temporary files ------------------------------------------------------
  class TempDir
  {
  public:
    TempDir()
    {
      std::string pattern = (std::filesystem::temp_directory_path() / "studyshare-unit-XXXXXX").string();
      if (mkdtemp(pattern.data()) == nullptr)
      {
        throw std::runtime_error("mkdtemp failed");
      }
      path_ = pattern;
    }
    ~TempDir()
    {
      std::error_code ignored;
      std::filesystem::remove_all(path_, ignored);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    std::string File(const std::string& name) const { return (path_ / name).string(); }

  private:
    std::filesystem::path path_;
  };

  // --- Fakes ----------------------------------------------------------------
  // Resolver backed by a map "level/kind/value" -> studies; unknown = NotFound.
  class FakeResolver : public IResourceResolver
  {
  public:
    void Add(ResourceLevel level, IdKind kind, const std::string& value, std::vector<std::string> studies)
    {
      map_[Key({level, kind, value})] = std::move(studies);
    }

    Resolution ResolveStudies(const ResourceView& resource) override
    {
      calls++;
      if (unavailable)
      {
        return {ResolutionStatus::Unavailable, {}};
      }
      auto found = map_.find(Key(resource));
      if (found == map_.end())
      {
        return {ResolutionStatus::NotFound, {}};
      }
      return {ResolutionStatus::Found, found->second};
    }

    bool unavailable = false;
    int calls = 0;

  private:
    static std::string Key(const ResourceView& r)
    {
      return std::to_string(static_cast<int>(r.level)) + "/" + std::to_string(static_cast<int>(r.kind)) + "/" +
             std::string(r.value);
    }
    std::map<std::string, std::vector<std::string>> map_;
  };

  // The standard world: study A (patient A) holds series A and instance A;
  // study B (patient B) holds series B and instance B; a study UID shared by
  // studies A and C (the same UID under two patients).
  inline void PopulateWorld(FakeResolver& resolver)
  {
    resolver.Add(ResourceLevel::Series, IdKind::OrthancId, kSeriesA, {kStudyA});
    resolver.Add(ResourceLevel::Series, IdKind::OrthancId, kSeriesB, {kStudyB});
    resolver.Add(ResourceLevel::Instance, IdKind::OrthancId, kInstanceA, {kStudyA});
    resolver.Add(ResourceLevel::Instance, IdKind::OrthancId, kInstanceB, {kStudyB});
    resolver.Add(ResourceLevel::Study, IdKind::DicomUid, kStudyUidA, {kStudyA});
    resolver.Add(ResourceLevel::Study, IdKind::DicomUid, kStudyUidB, {kStudyB});
    resolver.Add(ResourceLevel::Study, IdKind::DicomUid, kStudyUidShared, {kStudyA, kStudyC});
    resolver.Add(ResourceLevel::Series, IdKind::DicomUid, kSeriesUidA, {kStudyA});
    resolver.Add(ResourceLevel::Series, IdKind::DicomUid, kSeriesUidB, {kStudyB});
    resolver.Add(ResourceLevel::Instance, IdKind::DicomUid, kSopUidA, {kStudyA});
    resolver.Add(ResourceLevel::Instance, IdKind::DicomUid, kSopUidB, {kStudyB});
  }

  // A store decorator that can be switched to fail like a lost database.
  class FlakyStore : public IShareStore
  {
  public:
    explicit FlakyStore(IShareStore& inner) : inner_(inner) {}

    void Create(const Share& share, const AuditEvent& created) override
    {
      Check();
      inner_.Create(share, created);
    }
    std::optional<Share> Lookup(const std::string& id) override
    {
      Check();
      lookups++;
      return inner_.Lookup(id);
    }
    std::vector<Share> List(const ShareFilter& filter) override
    {
      Check();
      return inner_.List(filter);
    }
    bool Revoke(const std::string& id, int64_t now, const AuditEvent& revoked) override
    {
      Check();
      return inner_.Revoke(id, now, revoked);
    }
    bool UpdateAnonymization(const std::string& id, const ShareAnonymization& anonymization,
                             const std::optional<std::vector<SharedStudy>>& studies,
                             const std::optional<AuditEvent>& event) override
    {
      Check();
      return inner_.UpdateAnonymization(id, anonymization, studies, event);
    }
    void SetShortKey(const std::string& id, const std::string& keyDigest) override
    {
      Check();
      inner_.SetShortKey(id, keyDigest);
    }
    std::optional<Share> FindByShortKey(const std::string& keyDigest) override
    {
      Check();
      return inner_.FindByShortKey(keyDigest);
    }
    std::optional<Share> FindByAccessCode(const std::string& codeDigest) override
    {
      Check();
      return inner_.FindByAccessCode(codeDigest);
    }
    bool ConsumeUse(const std::string& id) override
    {
      Check();
      return inner_.ConsumeUse(id);
    }
    void RecordFailedAttempt(const std::string& id, const std::string& clientAddress, int64_t at) override
    {
      Check();
      inner_.RecordFailedAttempt(id, clientAddress, at);
    }
    int64_t CountFailedAttempts(const std::string& id, int64_t since) override
    {
      Check();
      return inner_.CountFailedAttempts(id, since);
    }
    std::optional<int64_t> ReserveFailedAttempt(const std::string& id, const std::string& clientAddress, int64_t at,
                                                int64_t since, int64_t max) override
    {
      Check();
      return inner_.ReserveFailedAttempt(id, clientAddress, at, since, max);
    }
    void ReleaseFailedAttempt(int64_t reservation) override
    {
      Check();
      inner_.ReleaseFailedAttempt(reservation);
    }
    std::optional<int64_t> ReserveCodeGuess(const std::string& clientAddress, int64_t at,
                                            const CodeGuessLimits& limits) override
    {
      Check();
      return inner_.ReserveCodeGuess(clientAddress, at, limits);
    }
    void ReleaseCodeGuess(int64_t reservation) override
    {
      Check();
      inner_.ReleaseCodeGuess(reservation);
    }
    std::vector<int64_t> ListFailedAttemptTimes(const std::string& id, int64_t since) override
    {
      Check();
      return inner_.ListFailedAttemptTimes(id, since);
    }
    bool ClearFailedAttempts(const std::string& id, const AuditEvent& unlocked) override
    {
      Check();
      return inner_.ClearFailedAttempts(id, unlocked);
    }
    bool ReplaceAccessCode(const std::string& id, const std::string& codeDigest, const AuditEvent& replaced) override
    {
      Check();
      return inner_.ReplaceAccessCode(id, codeDigest, replaced);
    }
    void AppendAudit(const AuditEvent& event) override
    {
      Check();
      inner_.AppendAudit(event);
    }
    std::vector<AuditEvent> ListAudit(const std::string& shareId) override
    {
      Check();
      return inner_.ListAudit(shareId);
    }
    void CreateApiKey(const StaffApiKey& key, const AuditEvent& created) override
    {
      Check();
      inner_.CreateApiKey(key, created);
    }
    std::optional<StaffApiKey> FindApiKey(const std::string& digest) override
    {
      Check();
      return inner_.FindApiKey(digest);
    }
    std::vector<StaffApiKey> ListApiKeys() override
    {
      Check();
      return inner_.ListApiKeys();
    }
    bool RevokeApiKey(const std::string& id, int64_t now, const AuditEvent& revoked) override
    {
      Check();
      return inner_.RevokeApiKey(id, now, revoked);
    }
    void MarkApiKeyUsed(const std::string& id, int64_t at) override
    {
      Check();
      inner_.MarkApiKeyUsed(id, at);
    }

    bool failing = false;
    int lookups = 0;

  private:
    void Check() const
    {
      if (failing)
      {
        throw StoreUnavailable("test: database is down");
      }
    }
    IShareStore& inner_;
  };

  class FakeCatalog : public IStudyCatalog
  {
  public:
    void Add(const std::string& orthancId, const std::string& uid, const std::string& birthDate = "19700101")
    {
      CatalogStudy study;
      study.study.orthancId = orthancId;
      study.study.dicomUid = uid;
      study.study.patientName = "DOE^JANE";
      study.study.patientId = "PID-" + orthancId.substr(0, 4);
      study.study.studyDate = "20240101";
      study.study.studyDescription = "CT CHEST";
      study.patientBirthDate = birthDate;
      studies_.push_back(study);
    }

    std::optional<CatalogStudy> FindByOrthancId(const std::string& orthancId) override
    {
      if (unavailable)
      {
        throw CatalogUnavailable("test: catalog down");
      }
      for (const auto& s : studies_)
      {
        if (s.study.orthancId == orthancId)
        {
          return s;
        }
      }
      return std::nullopt;
    }

    std::vector<CatalogStudy> FindByStudyUid(const std::string& uid) override
    {
      if (unavailable)
      {
        throw CatalogUnavailable("test: catalog down");
      }
      std::vector<CatalogStudy> found;
      for (const auto& s : studies_)
      {
        if (s.study.dicomUid == uid)
        {
          found.push_back(s);
        }
      }
      return found;
    }

    std::vector<CatalogSeries> ListSeries(const std::string& studyOrthancId) override
    {
      if (unavailable)
      {
        throw CatalogUnavailable("test: catalog down");
      }
      std::vector<CatalogSeries> series;
      if (FindByOrthancId(studyOrthancId))
      {
        series.push_back({kSeriesA, kSeriesUidA, "CT", "AXIAL", "1", {kInstanceA}});
      }
      return series;
    }

    std::vector<SeriesPixelText> InspectPixelText(const std::string& studyOrthancId) override
    {
      if (unavailable)
      {
        throw CatalogUnavailable("test: catalog down");
      }
      auto found = pixelText.find(studyOrthancId);
      return found == pixelText.end() ? std::vector<SeriesPixelText>{} : found->second;
    }

    std::optional<std::string> CopyOwner(const std::string& studyOrthancId) override
    {
      auto found = copyOwners.find(studyOrthancId);
      return found == copyOwners.end() ? std::nullopt : std::optional(found->second);
    }

    bool unavailable = false;
    std::map<std::string, std::vector<SeriesPixelText>> pixelText;
    std::map<std::string, std::string> copyOwners;

  private:
    std::vector<CatalogStudy> studies_;
  };

  inline SharedStudy Study(const std::string& orthancId, const std::string& uid)
  {
    SharedStudy study;
    study.orthancId = orthancId;
    study.dicomUid = uid;
    study.patientName = "DOE^JANE";
    return study;
  }

  inline AuditEvent Event(const std::string& shareId, int64_t at, const std::string& what,
                          const std::string& outcome = "success")
  {
    return {shareId, at, what, outcome, "alice", "127.0.0.1", "unit-test"};
  }
}
