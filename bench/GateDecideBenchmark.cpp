// SPDX-License-Identifier: GPL-3.0-or-later
// In-process cost of one gate decision (token verification, share lookup
// through the cache, grammar, policy), against the cost of the grammar alone.
// Each benchmark also reports heap allocations per iteration (allocs/op).
#include "CachingResolver.h"
#include "CachingShareStore.h"
#include "Gate.h"
#include "HeapAllocationCounter.h"
#include "SqliteShareStore.h"
#include "TokenSigner.h"

#include <benchmark/benchmark.h>

#include <unistd.h>
#include <cstdio>

namespace
{
  using namespace studyshare;

  const std::string kStudy = "11111111-22222222-33333333-44444444-55555555";
  const std::string kInstance = "aaaaaaaa-bbbbbbbb-cccccccc-dddddddd-eeeeeeee";

  class FixedResolver : public IResourceResolver
  {
  public:
    Resolution ResolveStudies(const ResourceView&) override { return {ResolutionStatus::Found, {kStudy}}; }
  };

  struct Fixture
  {
    Fixture()
      : path("/tmp/studyshare-bench-" + std::to_string(getpid()) + ".db"), sqlite(path),
        // The store's change stamp is read every 250 ms, as the plugin does on SQLite.
        cache(sqlite, std::chrono::milliseconds(1000), 4096, std::chrono::milliseconds(250)),
        cachingResolver(resolver, 1000, std::chrono::seconds(300)), grammar(DefaultRouteTable(), GrammarSettings()),
        verifier(keys, TokenPolicy{"studyshare", 30, 4096, 0}), tokenCache(4096, 300),
        gate(GateSettings(), grammar, staff, verifier, cache, cachingResolver, [] { return int64_t(1800000000); })
    {
      // Wired as the plugin wires it.
      cache.SetListener(&tokenCache);
      gate.SetTokenCache(&tokenCache);
      keys.AddHmacKey("k", std::string(48, 's'));
      keys.SetSigningKey("k");
      Share share;
      share.id = "bench-share";
      share.createdAt = 1700000000;
      share.studies.push_back({kStudy, "1.2.3", "", "", "", "", "study", ""});
      sqlite.Create(share, {share.id, 0, "create", "success", "", "", ""});
      TokenClaims claims;
      claims.id = share.id;
      claims.audience = "studyshare";
      claims.issuedAt = 1700000000;
      claims.expiresAt = 1900000000;
      token = TokenSigner(keys).Issue(claims);
      request.uri = "/web-viewer/instances/jpeg95-" + kInstance + "_0";
      request.headers = {{"authorization", "Bearer " + token}};
    }
    ~Fixture() { std::remove(path.c_str()); }

    std::string path;
    KeyRing keys;
    StaffDirectory staff;
    SqliteShareStore sqlite;
    CachingShareStore cache;
    FixedResolver resolver;
    CachingResolver cachingResolver;
    RequestGrammar grammar;
    TokenVerifier verifier;
    VerifiedTokenCache tokenCache;
    Gate gate;
    std::string token;
    HttpRequest request;
  };

  // Warm-path allocations: counted over the timed loop only, per iteration.
  class AllocationCount
  {
  public:
    explicit AllocationCount(benchmark::State& state) : state_(state), start_(bench::HeapAllocationsOnThisThread()) {}
    ~AllocationCount()
    {
      const double made = static_cast<double>(bench::HeapAllocationsOnThisThread() - start_);
      state_.counters["allocs/op"] =
        benchmark::Counter(made / static_cast<double>(state_.iterations()), benchmark::Counter::kAvgThreads);
    }

  private:
    benchmark::State& state_;
    const uint64_t start_;
  };

  Fixture& GetFixture()
  {
    static Fixture fixture;
    return fixture;
  }

  void GateDecision(benchmark::State& state)
  {
    Fixture& fixture = GetFixture();
    fixture.gate.Decide(fixture.request);  // warm: caches filled before counting
    AllocationCount allocations(state);
    for (auto _ : state)
    {
      AccessDecision decision = fixture.gate.Decide(fixture.request);
      if (!decision.Permits())
      {
        state.SkipWithError("the benchmark request was refused");
      }
      benchmark::DoNotOptimize(decision);
    }
  }

  void GrammarOnly(benchmark::State& state)
  {
    Fixture& fixture = GetFixture();
    fixture.gate.Decide(fixture.request);  // warm: caches filled before counting
    const HttpPairs noArguments;
    AllocationCount allocations(state);
    for (auto _ : state)
    {
      benchmark::DoNotOptimize(fixture.grammar.Read(HttpMethod::Get, fixture.request.uri, noArguments));
    }
  }

  void TokenVerificationOnly(benchmark::State& state)
  {
    Fixture& fixture = GetFixture();
    fixture.gate.Decide(fixture.request);  // warm: caches filled before counting
    AllocationCount allocations(state);
    for (auto _ : state)
    {
      benchmark::DoNotOptimize(fixture.verifier.Verify(fixture.token, TokenType::Share, 1800000000));
    }
  }
}

BENCHMARK(GateDecision)->Threads(1)->Threads(2)->Threads(8);
BENCHMARK(GrammarOnly);
BENCHMARK(TokenVerificationOnly);
BENCHMARK_MAIN();
