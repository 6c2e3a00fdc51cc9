// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "AccessDecision.h"
#include "IResourceResolver.h"
#include "IStudyLabels.h"
#include "RequestGrammar.h"
#include "StaffDirectory.h"

#include <optional>

#include <string>
#include <vector>

namespace studyshare
{
  // What a sharer limited to labelled studies (`Users.{name}.Labels`) may
  // reach, after the sharer role's own rules have allowed the request. The
  // gate only allows or refuses (Orthanc gives it no answer to rewrite), so
  // a route is either decided by the studies it names or refused:
  // - routes that name studies, series or instances (Orthanc REST, DICOMweb
  //   WADO-RS and study-scoped QIDO-RS, WADO-URI, the viewers' routes) are
  //   allowed when every study they resolve to carries one of the labels;
  // - routes without patient data that any share may read (/system, OE2's
  //   configuration) and StudyShare's own API (shares are checked when made);
  // - everything else is refused: every list or search of studies, series,
  //   instances or patients (/studies, /tools/find, /tools/lookup, QIDO-RS
  //   without a study filter, /patients/**, /changes, OE2's and Orthanc
  //   Explorer's study lists), since none of them can be filtered here.
  struct LabelRefusal
  {
    int status = 403;  // 503 when the labels cannot be read
    std::string message;
  };

  // The one check of every way of making a share: a sharer limited to labels
  // may name only studies carrying one of them. nullopt when `user` may share
  // all of `studies` (Orthanc IDs); without `labels` such a sharer shares nothing.
  std::optional<LabelRefusal> RefuseUnlabelledStudies(const StaffDirectory& staff, IStudyLabels* labels,
                                                      const std::string& user, const std::vector<std::string>& studies);

  class StaffLabelRules
  {
  public:
    StaffLabelRules(const RequestGrammar& grammar, IResourceResolver& resolver, IStudyLabels& labels)
      : grammar_(grammar), resolver_(resolver), labels_(labels)
    {
    }

    AccessDecision Decide(const std::string& user, const std::vector<std::string>& allowed,
                          const HttpRequest& request) const;

  private:
    AccessDecision CheckResource(const ResourceView& resource, const std::vector<std::string>& allowed) const;

    const RequestGrammar& grammar_;
    IResourceResolver& resolver_;
    IStudyLabels& labels_;
  };
}
