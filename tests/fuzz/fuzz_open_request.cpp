// SPDX-License-Identifier: GPL-3.0-or-later
// The recipients' open JSON (POST /share/api/open), read by the real
// ShareOpener on a real in-memory SQLite store holding shares of every kind.
// "$T<n>" in the input becomes the token of share n and "$CODE" the access
// code, so mutations reach the challenges and not only the token check.
// Properties: every answer is a JSON object that serializes as strict UTF-8;
// a refusal names its error; a session is handed out only for a share that
// may be opened, bound to that share.
#include "AccessCode.h"
#include "FuzzInput.h"
#include "KeyRing.h"
#include "ShareOpener.h"
#include "SqliteShareStore.h"
#include "TokenSigner.h"
#include "TokenVerifier.h"

#include <array>
#include <set>

using namespace studyshare;

namespace
{
  constexpr int64_t kNow = 1767225600;
  const char* const kCode = "ABCDE-FGHJK-MNPQR";

  class FixedCatalog : public IStudyCatalog
  {
  public:
    std::optional<CatalogStudy> FindByOrthancId(const std::string& orthancId) override
    {
      CatalogStudy found;
      found.study.orthancId = orthancId;
      found.study.dicomUid = "1.2.3." + std::to_string(orthancId.size());
      found.patientBirthDate = "19700101";
      return found;
    }
    std::vector<CatalogStudy> FindByStudyUid(const std::string&) override { return {}; }
    std::vector<CatalogSeries> ListSeries(const std::string&) override { return {}; }
    std::vector<SeriesPixelText> InspectPixelText(const std::string&) override { return {}; }
    std::optional<std::string> CopyOwner(const std::string&) override { return std::nullopt; }
  };

  Share MakeShare(const std::string& id)
  {
    Share share;
    share.id = id;
    share.createdAt = kNow - 60;
    SharedStudy study;
    study.orthancId = "6b9e19d9-62094390-5f9ddb01-4a191ae7-e7c01c29";
    study.dicomUid = "1.2.840.113619.2.55.3.604688119.868.1234567890.123";
    share.studies.push_back(study);
    return share;
  }

  struct World
  {
    KeyRing keys;
    std::unique_ptr<TokenSigner> signer;
    std::unique_ptr<TokenVerifier> verifier;
    SqliteShareStore store{":memory:"};
    FixedCatalog catalog;
    std::unique_ptr<ShareOpener> opener;
    std::vector<std::string> tokens;  // "$T<n>" is tokens[n]
    std::set<std::string> openable;   // not revoked, expired or used up

    World()
    {
      keys.AddHmacKey("k1", "fuzzing-secret-0123456789-abcdefghijklmnopqrstuv");
      keys.SetSigningKey("k1");
      signer = std::make_unique<TokenSigner>(keys);
      TokenPolicy policy;
      policy.audience = "studyshare";
      verifier = std::make_unique<TokenVerifier>(keys, policy);
      OpenSettings settings;
      settings.maxFailedAttempts = 1000000000;  // the fuzzer's guesses must not lock it out of the deep paths
      settings.codeGuessesPerClient = 1000000000;
      settings.codeGuessesGlobal = 1000000000;
      opener = std::make_unique<ShareOpener>(
        settings, store, catalog, *verifier, *signer, [] { return kNow; }, [] { return nlohmann::json::object(); });

      Share plain = MakeShare("open-plain");
      Share birthDate = MakeShare("open-birth-date");
      birthDate.requireBirthDate = true;
      Share code = MakeShare("open-code");
      code.accessCodeHash = AccessCode::Digest(*AccessCode::Normalize(kCode));
      Share revoked = MakeShare("open-revoked");
      revoked.revokedAt = kNow - 10;
      Share expired = MakeShare("open-expired");
      expired.expiresAt = kNow - 10;
      Share usedUp = MakeShare("open-used-up");
      usedUp.maxUses = 1;
      usedUp.uses = 1;
      for (const Share* share : {&plain, &birthDate, &code, &revoked, &expired, &usedUp})
      {
        store.Create(*share, AuditEvent{share->id, kNow - 60, "create", "success", "fuzz", "", ""});
        TokenClaims claims;
        claims.type = TokenType::Share;
        claims.id = share->id;
        claims.audience = "studyshare";
        claims.issuedAt = kNow - 60;
        claims.notBefore = kNow - 60;
        claims.expiresAt = share->expiresAt.value_or(kNow + 86400);
        tokens.push_back(signer->Issue(claims));
        if (share->StateAt(kNow) == ShareState::Active)
        {
          openable.insert(share->id);
        }
      }
    }

    std::string Expand(std::string body) const
    {
      for (size_t n = tokens.size(); n-- > 0;)
      {
        ReplaceAll(body, "$T" + std::to_string(n), tokens[n]);
      }
      ReplaceAll(body, "$CODE", kCode);
      return body;
    }

    static void ReplaceAll(std::string& text, const std::string& from, const std::string& to)
    {
      for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
      {
        text.replace(at, from.size(), to);
      }
    }
  };
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
  static World world;
  const ApiResponse answer =
    world.opener->Open(world.Expand(fuzz::Text(data, size)), RecipientContext{"192.0.2.7", "fuzz"});
  fuzz::Require(answer.body.is_object());
  (void)answer.body.dump();  // throws (a crash here) on a string that is not UTF-8
  if (answer.status != 200)
  {
    fuzz::Require(answer.status >= 400 && answer.status < 600);
    fuzz::Require(answer.body.contains("Error") && answer.body["Error"].is_string());
    return 0;
  }
  fuzz::Require(answer.body.contains("SessionToken") && answer.body["SessionToken"].is_string());
  const TokenCheck session =
    world.verifier->Verify(answer.body["SessionToken"].get<std::string>(), TokenType::Session, kNow);
  fuzz::Require(session.IsValid());
  fuzz::Require(world.openable.count(session.claims.shareId) == 1);
  return 0;
}
