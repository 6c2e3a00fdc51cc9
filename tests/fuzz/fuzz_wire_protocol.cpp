// SPDX-License-Identifier: GPL-3.0-or-later
// The token service's wire protocol: validation, decode, profile and token
// creation bodies. Bad input is a BadRequest, never a crash or another exception.
#include "AuthWireProtocol.h"
#include "FuzzInput.h"

using namespace studyshare;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
  const std::string body = fuzz::Text(data, size);
  const auto attempt = [&](auto parse)
  {
    try
    {
      parse();
    }
    catch (const BadRequest&)
    {
    }
  };
  attempt([&] { (void)ValidationQuery::Parse(body).ToWire().dump(); });
  attempt([&] { (void)DecodeQuery::ParseWire(body); });
  attempt([&] { (void)DecodeQuery::ParseExplorer(body); });
  attempt([&] { (void)ProfileQuery::Parse(body); });
  attempt([&] { (void)TokenCreation::ParseWire("stone-viewer-publication", body, 1767225600); });
  attempt([&] { (void)TokenCreation::ParseExplorer("ohif-viewer-publication", body, 1767225600); });
  attempt([&] { (void)TokenCreation::ParseLegacyShare(body, 1767225600); });
  return 0;
}
