// SPDX-License-Identifier: GPL-3.0-or-later
#include "OrthancApi.h"

#include "Utf8Text.h"

#include <stdexcept>

namespace studyshare::plugin
{
  namespace
  {
    class MemoryBuffer
    {
    public:
      explicit MemoryBuffer(OrthancPluginContext* context) : context_(context) {}
      ~MemoryBuffer()
      {
        if (buffer_.data != nullptr)
        {
          OrthancPluginFreeMemoryBuffer(context_, &buffer_);
        }
      }
      MemoryBuffer(const MemoryBuffer&) = delete;
      MemoryBuffer& operator=(const MemoryBuffer&) = delete;

      OrthancPluginMemoryBuffer* Target() { return &buffer_; }
      std::string ToString() const
      {
        return buffer_.data ? std::string(static_cast<const char*>(buffer_.data), buffer_.size) : std::string();
      }

    private:
      OrthancPluginContext* context_;
      OrthancPluginMemoryBuffer buffer_{nullptr, 0};
    };

    class OrthancString
    {
    public:
      OrthancString(OrthancPluginContext* context, char* value) : context_(context), value_(value) {}
      ~OrthancString()
      {
        if (value_ != nullptr)
        {
          OrthancPluginFreeString(context_, value_);
        }
      }
      OrthancString(const OrthancString&) = delete;
      OrthancString& operator=(const OrthancString&) = delete;

      bool IsNull() const { return value_ == nullptr; }
      std::string ToString() const { return value_ ? std::string(value_) : std::string(); }

    private:
      OrthancPluginContext* context_;
      char* value_;
    };
  }

  OrthancApi::RestAnswer OrthancApi::Get(const std::string& uri) const
  {
    MemoryBuffer buffer(context_);
    RestAnswer answer;
    answer.code = OrthancPluginRestApiGet(context_, buffer.Target(), uri.c_str());
    if (answer.IsSuccess())
    {
      answer.body = buffer.ToString();
    }
    return answer;
  }

  OrthancApi::RestAnswer OrthancApi::Post(const std::string& uri, const std::string& body) const
  {
    MemoryBuffer buffer(context_);
    RestAnswer answer;
    answer.code =
      OrthancPluginRestApiPost(context_, buffer.Target(), uri.c_str(), body.data(), static_cast<uint32_t>(body.size()));
    if (answer.IsSuccess())
    {
      answer.body = buffer.ToString();
    }
    return answer;
  }

  OrthancApi::RestAnswer OrthancApi::Put(const std::string& uri, const std::string& body) const
  {
    MemoryBuffer buffer(context_);
    RestAnswer answer;
    answer.code =
      OrthancPluginRestApiPut(context_, buffer.Target(), uri.c_str(), body.data(), static_cast<uint32_t>(body.size()));
    if (answer.IsSuccess())
    {
      answer.body = buffer.ToString();
    }
    return answer;
  }

  OrthancPluginErrorCode OrthancApi::Delete(const std::string& uri) const
  {
    return OrthancPluginRestApiDelete(context_, uri.c_str());
  }

  std::optional<std::string> OrthancApi::LookupUnique(ResourceLevel level, const std::string& uid) const
  {
    char* found = nullptr;
    switch (level)
    {
      case ResourceLevel::Study:
        found = OrthancPluginLookupStudy(context_, uid.c_str());
        break;
      case ResourceLevel::Series:
        found = OrthancPluginLookupSeries(context_, uid.c_str());
        break;
      case ResourceLevel::Instance:
        found = OrthancPluginLookupInstance(context_, uid.c_str());
        break;
      case ResourceLevel::Patient:
        return std::nullopt;  // a PatientID is no UID: two patients may share one
    }
    const OrthancString id(context_, found);
    return id.IsNull() ? std::nullopt : std::optional<std::string>(id.ToString());
  }

  std::string OrthancApi::GetConfigurationJson() const
  {
    OrthancString configuration(context_, OrthancPluginGetConfiguration(context_));
    if (configuration.IsNull())
    {
      throw std::runtime_error("Orthanc did not provide its configuration");
    }
    return configuration.ToString();
  }

  void OrthancApi::LogInfo(const std::string& message) const
  {
    OrthancPluginLogInfo(context_, ("StudyShare: " + EscapeForLog(message)).c_str());
  }

  void OrthancApi::LogWarning(const std::string& message) const
  {
    OrthancPluginLogWarning(context_, ("StudyShare: " + EscapeForLog(message)).c_str());
  }

  void OrthancApi::LogError(const std::string& message) const
  {
    OrthancPluginLogError(context_, ("StudyShare: " + EscapeForLog(message)).c_str());
  }
}
