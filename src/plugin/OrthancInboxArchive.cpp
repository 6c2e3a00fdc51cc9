// SPDX-License-Identifier: GPL-3.0-or-later
#include "OrthancInboxArchive.h"

#include "TextUtilities.h"

#include <nlohmann/json.hpp>

namespace studyshare::plugin
{
  namespace
  {
    using Json = nlohmann::json;

    constexpr uint32_t kMaxTagLength = 256;

    std::string Tag(const Json& tags, const char* key)
    {
      const auto found = tags.find(key);
      return found != tags.end() && found->is_string() ? Trim(found->get<std::string>()) : std::string();
    }

    bool IsUid(const std::string& value)
    {
      if (value.empty() || value.size() > 64)
      {
        return false;
      }
      for (char c : value)
      {
        if (!(c == '.' || (c >= '0' && c <= '9')))
        {
          return false;
        }
      }
      return true;
    }
  }

  std::optional<IInboxArchive::DicomFacts> OrthancInboxArchive::Read(std::string_view file)
  {
    // Orthanc's own parser, without the pixel data: what it reads here is
    // what it will index when the file is stored.
    char* text = OrthancPluginDicomBufferToJson(
      orthanc_.Context(), file.data(), static_cast<uint32_t>(file.size()), OrthancPluginDicomToJsonFormat_Short,
      static_cast<OrthancPluginDicomToJsonFlags>(OrthancPluginDicomToJsonFlags_StopAfterPixelData |
                                                 OrthancPluginDicomToJsonFlags_ConvertBinaryToNull),
      kMaxTagLength);
    if (text == nullptr)
    {
      return std::nullopt;
    }
    const Json tags = Json::parse(text, nullptr, false);
    OrthancPluginFreeString(orthanc_.Context(), text);
    if (!tags.is_object())
    {
      return std::nullopt;
    }
    DicomFacts facts;
    facts.studyInstanceUid = Tag(tags, "0020,000d");
    facts.seriesInstanceUid = Tag(tags, "0020,000e");
    facts.sopInstanceUid = Tag(tags, "0008,0018");
    // A DICOMDIR or a file without its identifiers is not an image to store.
    if (!IsUid(facts.studyInstanceUid) || !IsUid(facts.seriesInstanceUid) || !IsUid(facts.sopInstanceUid))
    {
      return std::nullopt;
    }
    facts.patientName = Tag(tags, "0010,0010");
    facts.patientId = Tag(tags, "0010,0020");
    facts.studyDate = Tag(tags, "0008,0020");
    facts.studyDescription = Tag(tags, "0008,1030");
    facts.modality = Tag(tags, "0008,0060");
    return facts;
  }

  bool OrthancInboxArchive::Exists(const std::string& uid, const char* type) const
  {
    const OrthancApi::RestAnswer answer = orthanc_.Post("/tools/lookup", uid);
    if (!answer.IsSuccess())
    {
      throw std::runtime_error("Orthanc's /tools/lookup failed");
    }
    const Json found = Json::parse(answer.body, nullptr, false);
    if (!found.is_array())
    {
      throw std::runtime_error("Orthanc's /tools/lookup answered no list");
    }
    for (const Json& item : found)
    {
      if (item.is_object() && item.value("Type", "") == type)
      {
        return true;
      }
    }
    return false;
  }

  OrthancPresence OrthancInboxArchive::Find(const DicomFacts& facts)
  {
    OrthancPresence presence;
    presence.instanceExists = Exists(facts.sopInstanceUid, "Instance");
    presence.studyExists = Exists(facts.studyInstanceUid, "Study");
    return presence;
  }

  IInboxArchive::Stored OrthancInboxArchive::Store(std::string_view file)
  {
    Stored stored;
    OrthancPluginMemoryBuffer buffer{nullptr, 0};
    const OrthancPluginErrorCode code = OrthancPluginRestApiPost(orthanc_.Context(), &buffer, "/instances", file.data(),
                                                                 static_cast<uint32_t>(file.size()));
    std::string body;
    if (buffer.data != nullptr)
    {
      body.assign(static_cast<const char*>(buffer.data), buffer.size);
      OrthancPluginFreeMemoryBuffer(orthanc_.Context(), &buffer);
    }
    if (code != OrthancPluginErrorCode_Success)
    {
      stored.error = OrthancPluginGetErrorDescription(orthanc_.Context(), code);
      return stored;
    }
    const Json answer = Json::parse(body, nullptr, false);
    if (!answer.is_object() || !answer.contains("ID") || !answer["ID"].is_string())
    {
      stored.error = "Orthanc's answer names no instance";
      return stored;
    }
    stored.success = true;
    stored.alreadyStored = answer.value("Status", "") == "AlreadyStored";
    stored.instanceId = answer["ID"].get<std::string>();
    stored.studyId = answer.value("ParentStudy", "");
    return stored;
  }

  void OrthancInboxArchive::Mark(const std::string& instanceId, const std::string& inboxId)
  {
    const OrthancApi::RestAnswer answer = orthanc_.Put("/instances/" + instanceId + "/metadata/" + metadata_, inboxId);
    if (!answer.IsSuccess())
    {
      orthanc_.LogWarning("inbox " + inboxId + ": cannot mark instance " + instanceId + " with metadata " + metadata_);
    }
  }
}
