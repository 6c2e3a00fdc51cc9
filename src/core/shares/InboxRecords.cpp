// SPDX-License-Identifier: GPL-3.0-or-later
#include "InboxRecords.h"

#include <nlohmann/json.hpp>

namespace studyshare
{
  const char* ToString(ShareKind kind)
  {
    return kind == ShareKind::Inbox ? "Inbox" : "Share";
  }

  std::string InboxLimits::ToJson() const
  {
    return nlohmann::json{{"MaxUploadBytes", maxUploadBytes}, {"MaxFileBytes", maxFileBytes}, {"MaxFiles", maxFiles}}
      .dump();
  }

  InboxLimits InboxLimits::FromJson(const std::string& text)
  {
    InboxLimits limits;
    const nlohmann::json json = nlohmann::json::parse(text, nullptr, false);
    if (!json.is_object())
    {
      return limits;
    }
    const auto read = [&](const char* field, int64_t& into)
    {
      if (json.contains(field) && json[field].is_number_integer())
      {
        into = json[field].get<int64_t>();
      }
    };
    read("MaxUploadBytes", limits.maxUploadBytes);
    read("MaxFileBytes", limits.maxFileBytes);
    read("MaxFiles", limits.maxFiles);
    return limits;
  }

  const char* Describe(InboxClaim claim)
  {
    switch (claim)
    {
      case InboxClaim::Claimed:
        return "accepted";
      case InboxClaim::AlreadyReceived:
        return "already received by this inbox";
      case InboxClaim::InstanceExists:
        return "the SOPInstanceUID is already in Orthanc and was not received by this inbox";
      case InboxClaim::StudyExists:
        return "the StudyInstanceUID is already in Orthanc and was not created by this inbox";
      case InboxClaim::OtherInbox:
        return "another inbox received this instance or study";
      case InboxClaim::TooManyFiles:
        return "the inbox's MaxFiles is reached";
      case InboxClaim::TooManyBytes:
        return "the inbox's MaxUploadBytes is reached";
    }
    return "refused";
  }
}
