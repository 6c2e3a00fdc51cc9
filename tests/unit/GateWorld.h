// SPDX-License-Identifier: GPL-3.0-or-later
// A complete gate for tests: real grammar, verifier and store (SQLite in a
// temporary file, or one PostgreSQL database shared by every world of the
// test process), a fake resolver, fixed shares and tokens.
#pragma once

#include "Gate.h"
#include "PostgresShareStore.h"
#include "SqliteShareStore.h"
#include "TokenSigner.h"

#include "PostgresTestCluster.h"
#include "TestSupport.h"

#include <memory>

namespace studyshare::test
{
  inline TokenPolicy GatePolicy()
  {
    TokenPolicy policy;
    policy.audience = kAudience;
    return policy;
  }

  enum class GateStore
  {
    Sqlite,
    Postgres
  };

  // Created once: a database per world would cost a CREATE DATABASE per case.
  inline IShareStore& SharedPostgresGateStore()
  {
    static const std::unique_ptr<PostgresShareStore> store = []
    {
      PostgresSettings settings;
      settings.connection = PostgresTestCluster::Get().FreshDatabase();
      settings.poolSize = 4;
      return std::make_unique<PostgresShareStore>(settings, 2);
    }();
    return *store;
  }

  class GateWorld
  {
  public:
    explicit GateWorld(GateSettings settings = GateSettings(), GateStore kind = GateStore::Sqlite)
      : sqlite(dir.File("shares.db")),
        backing(kind == GateStore::Postgres ? SharedPostgresGateStore() : static_cast<IShareStore&>(sqlite)),
        store(backing), keys(MakeKeys()), verifier(keys, GatePolicy()), signer(keys),
        grammar(DefaultRouteTable(), GrammarSettings()),
        gate(std::move(settings), grammar, staff, verifier, store, resolver, [this] { return now; })
    {
      PopulateWorld(resolver);
      AddShare("open", [](Share&) {});
      AddShare("open-dl", [](Share& s) { s.permissions |= static_cast<unsigned>(Permission::Download); });
      AddShare("expired", [](Share& s) { s.expiresAt = kNow - 10; });
      AddShare("revoked", [](Share& s) { s.revokedAt = kNow - 100; });
      AddShare("password", [](Share& s) { s.passwordHash = "$argon2id$v=19$m=65536,t=2,p=1$fake$fake"; });
      AddShare("max-uses",
               [](Share& s)
               {
                 s.maxUses = 5;
                 s.uses = 1;
               });
      AddShare("code", [](Share& s) { s.accessCodeHash = "0123abcd"; });
      AddShare("birth", [](Share& s) { s.requireBirthDate = true; });
      AddShare("exhausted",
               [](Share& s)
               {
                 s.maxUses = 1;
                 s.uses = 1;
               });
      AddShare("a-and-c", [](Share& s) { s.studies.push_back(Study(kStudyC, kStudyUidShared)); });
      // Names study A while Running only to show the refusal is by state, not by an empty list.
      AddShare("anon-running",
               [](Share& s)
               {
                 s.anonymize = true;
                 s.anonymization.state = AnonymizationState::Running;
               });
      AddShare("anon-ready",
               [](Share& s)
               {
                 s.anonymize = true;
                 s.anonymization.state = AnonymizationState::Ready;
               });
    }

    static KeyRing MakeKeys()
    {
      KeyRing ring;
      ring.AddHmacKey("k1", kSecret);
      ring.SetSigningKey("k1");
      return ring;
    }

    template <typename Edit>
    void AddShare(const std::string& id, Edit edit)
    {
      Share share;
      share.id = id;
      share.studies = {Study(kStudyA, kStudyUidA)};
      share.createdAt = kNow - 1000;
      share.expiresAt = kNow + 86400;
      share.createdBy = "alice";
      edit(share);
      if (&backing != &sqlite && backing.Lookup(id))
      {
        return;  // the shared PostgreSQL database has it from an earlier world
      }
      backing.Create(share, Event(id, share.createdAt, "create"));
    }

    std::string ShareToken(const std::string& id, int64_t expiresAt = kNow + 3600) const
    {
      TokenClaims claims;
      claims.type = TokenType::Share;
      claims.id = id;
      claims.audience = kAudience;
      claims.issuedAt = kNow - 1000;
      claims.notBefore = kNow - 1000;
      claims.expiresAt = expiresAt;
      return signer.Issue(claims);
    }

    std::string SessionToken(const std::string& shareId) const
    {
      TokenClaims claims;
      claims.type = TokenType::Session;
      claims.id = "session-of-" + shareId;
      claims.shareId = shareId;
      claims.audience = kAudience;
      claims.issuedAt = kNow - 10;
      claims.notBefore = kNow - 10;
      claims.expiresAt = kNow + 3600;
      return signer.Issue(claims);
    }

    static HttpRequest Request(HttpMethod method, const std::string& uri, HttpPairs arguments = {},
                               HttpPairs headers = {})
    {
      HttpRequest request;
      request.method = method;
      request.uri = uri;
      request.arguments = std::move(arguments);
      request.headers = std::move(headers);
      request.clientAddress = "192.0.2.10";
      return request;
    }

    static HttpRequest Get(const std::string& uri, HttpPairs headers = {}, HttpPairs arguments = {})
    {
      return Request(HttpMethod::Get, uri, std::move(arguments), std::move(headers));
    }

    static HttpPairs Bearer(const std::string& token) { return {{"authorization", "Bearer " + token}}; }

    TempDir dir;
    SqliteShareStore sqlite;
    IShareStore& backing;
    FlakyStore store;
    FakeResolver resolver;
    KeyRing keys;
    TokenVerifier verifier;
    TokenSigner signer;
    StaffDirectory staff;
    RequestGrammar grammar;
    int64_t now = kNow;
    Gate gate;
  };
}
