// SPDX-License-Identifier: GPL-3.0-or-later
// The request grammar: a path with GET arguments, read under the default and
// a custom set of roots. Properties: no crash, a refusal always has a problem
// or is staff-only, a readable request names resources only for shareable routes.
#include "FuzzInput.h"
#include "RequestGrammar.h"

using namespace studyshare;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
  static const RequestGrammar defaults(DefaultRouteTable(), GrammarSettings());
  static const RequestGrammar custom(DefaultRouteTable(),
                                     GrammarSettings{"/pacs/dicom-web/", "/pacs/wado", "/viewers/ohif", "tk"});
  if (size == 0)
  {
    return 0;
  }
  const HttpMethod methods[] = {HttpMethod::Get, HttpMethod::Head, HttpMethod::Post, HttpMethod::Put,
                                HttpMethod::Delete};
  const HttpMethod method = methods[data[0] % 5];
  std::string path;
  HttpPairs arguments;
  fuzz::SplitUri(fuzz::Text(data + 1, size - 1), path, arguments);
  for (const RequestGrammar* grammar : {&defaults, &custom})
  {
    const RequestTarget target = grammar->Read(method, path, arguments);
    if (target.IsAmbiguous())
    {
      fuzz::Require(target.access == RouteAccess::StaffOnly);
    }
    if (method != HttpMethod::Get && method != HttpMethod::Head)
    {
      fuzz::Require(target.access == RouteAccess::StaffOnly || target.access == RouteAccess::Public);
    }
    (void)grammar->ClassifyRoute(method, fuzz::Text(data + 1, size - 1));
  }
  return 0;
}
