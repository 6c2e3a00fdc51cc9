// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ResourceRef.h"

#include <orthanc/OrthancCPlugin.h>

#include <optional>
#include <string>

namespace studyshare::plugin
{
  // The few SDK services the plugin uses, with RAII over the buffers and
  // strings Orthanc hands back. Internal REST calls do not pass through the
  // HTTP filter, which is what the resolver relies on.
  class OrthancApi
  {
  public:
    explicit OrthancApi(OrthancPluginContext* context) : context_(context) {}

    OrthancPluginContext* Context() const { return context_; }

    struct RestAnswer
    {
      OrthancPluginErrorCode code = OrthancPluginErrorCode_InternalError;
      std::string body;

      bool IsSuccess() const { return code == OrthancPluginErrorCode_Success; }
      bool IsNotFound() const
      {
        return code == OrthancPluginErrorCode_UnknownResource || code == OrthancPluginErrorCode_InexistentItem;
      }
    };

    RestAnswer Get(const std::string& uri) const;
    RestAnswer Post(const std::string& uri, const std::string& body) const;
    RestAnswer Put(const std::string& uri, const std::string& body) const;
    OrthancPluginErrorCode Delete(const std::string& uri) const;

    std::string GetConfigurationJson() const;

    // The Orthanc ID of the one resource of `level` whose identifying tag
    // (StudyInstanceUID, SeriesInstanceUID, SOPInstanceUID) is `uid`, read
    // from the index in one query (OrthancPluginLookupStudy and siblings);
    // nullopt when no resource, or more than one, carries it, or the
    // database failed: the caller then needs the slower full lookup.
    std::optional<std::string> LookupUnique(ResourceLevel level, const std::string& uid) const;

    void LogInfo(const std::string& message) const;
    void LogWarning(const std::string& message) const;
    void LogError(const std::string& message) const;

  private:
    OrthancPluginContext* context_;
  };
}
