// SPDX-License-Identifier: GPL-3.0-or-later
// Share creation JSON (POST /studyshare/shares). Properties: it is either
// refused with BadRequest or accepted within the limits.
#include "FuzzInput.h"
#include "ShareRequest.h"

using namespace studyshare;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
  ShareRequestLimits limits;
  limits.now = 1767225600;
  limits.maxValidityDuration = 30 * 86400;
  limits.maxStudies = 20;
  try
  {
    const ShareRequest request = ShareRequest::Parse(fuzz::Text(data, size), limits);
    fuzz::Require(!request.studies.empty() && request.studies.size() <= limits.maxStudies);
    fuzz::Require(!request.expiresAt || *request.expiresAt <= limits.now + limits.maxValidityDuration);
  }
  catch (const BadRequest&)
  {
  }
  return 0;
}
