// SPDX-License-Identifier: GPL-3.0-or-later
#include "InboxRequest.h"

#include "ShareRequest.h"

namespace studyshare
{
  namespace
  {
    constexpr const char* kLimitFields[] = {"MaxUploadBytes", "MaxFileBytes", "MaxFiles"};
    constexpr const char* kShareOnlyFields[] = {
      "Resources", "Permissions", "Viewer", "Anonymize", "RequireBirthDate", "AllowBurnedInAnnotation", "SendEmail"};

    void ReadLimit(const nlohmann::json& body, const char* field, int64_t maximum, int64_t& into)
    {
      if (!body.contains(field) || body[field].is_null())
      {
        return;
      }
      const nlohmann::json& value = body[field];
      if (!value.is_number_integer() || value.get<int64_t>() < 1 || value.get<int64_t>() > maximum)
      {
        throw BadRequest(std::string("'") + field + "' must be an integer from 1 to " + std::to_string(maximum));
      }
      into = value.get<int64_t>();
    }
  }

  ShareKind ParseShareKind(const nlohmann::json& body, InboxLimits& limits)
  {
    ShareKind kind = ShareKind::Share;
    if (body.contains("Kind"))
    {
      const nlohmann::json& value = body["Kind"];
      if (value == "Inbox")
      {
        kind = ShareKind::Inbox;
      }
      else if (value != "Share")
      {
        throw BadRequest("'Kind' must be \"Share\" or \"Inbox\"");
      }
    }
    if (kind == ShareKind::Share)
    {
      for (const char* field : kLimitFields)
      {
        if (body.contains(field))
        {
          throw BadRequest(std::string("'") + field + "' only applies with \"Kind\": \"Inbox\"");
        }
      }
      return kind;
    }
    for (const char* field : kShareOnlyFields)
    {
      if (body.contains(field))
      {
        throw BadRequest(std::string("'") + field +
                         "' does not apply to an inbox: it shows nothing and receives studies");
      }
    }
    ReadLimit(body, "MaxUploadBytes", int64_t(1) << 40, limits.maxUploadBytes);
    ReadLimit(body, "MaxFileBytes", int64_t(2) << 30, limits.maxFileBytes);
    ReadLimit(body, "MaxFiles", 1000000, limits.maxFiles);
    if (limits.maxFileBytes > limits.maxUploadBytes)
    {
      limits.maxFileBytes = limits.maxUploadBytes;
    }
    return kind;
  }
}
