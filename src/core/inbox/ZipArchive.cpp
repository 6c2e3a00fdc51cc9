// SPDX-License-Identifier: GPL-3.0-or-later
#include "ZipArchive.h"

#include "Utf8Text.h"

#include <zip.h>

#include <memory>

namespace studyshare
{
  namespace
  {
    constexpr int64_t kRatioFloorBytes = int64_t(1) << 20;
    constexpr size_t kMaxNameBytes = 255;
  }

  ZipArchive::ZipArchive(std::string_view data, const ZipLimits& limits) : limits_(limits)
  {
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t* source = zip_source_buffer_create(data.data(), data.size(), 0, &error);
    if (source == nullptr)
    {
      zip_error_fini(&error);
      throw ZipRefused("the ZIP cannot be read", false);
    }
    archive_ = zip_open_from_source(source, ZIP_RDONLY, &error);
    zip_error_fini(&error);
    if (archive_ == nullptr)
    {
      zip_source_free(source);
      throw ZipRefused("the body is not a readable ZIP file", false);
    }
    const zip_int64_t count = zip_get_num_entries(archive_, 0);
    if (count > limits_.maxMembers)
    {
      zip_discard(archive_);
      throw ZipRefused("the ZIP holds more than " + std::to_string(limits_.maxMembers) + " files", true);
    }
    int64_t total = 0;
    for (zip_int64_t i = 0; i < count; i++)
    {
      zip_stat_t stat;
      zip_stat_init(&stat);
      if (zip_stat_index(archive_, static_cast<zip_uint64_t>(i), 0, &stat) != 0 || !(stat.valid & ZIP_STAT_NAME) ||
          !(stat.valid & ZIP_STAT_SIZE) || !(stat.valid & ZIP_STAT_COMP_SIZE))
      {
        zip_discard(archive_);
        throw ZipRefused("the ZIP's directory cannot be read", false);
      }
      std::string name = ToValidUtf8(stat.name);
      if (!name.empty() && name.back() == '/')
      {
        continue;
      }
      if (name.size() > kMaxNameBytes)
      {
        name = ToValidUtf8(name.substr(name.size() - kMaxNameBytes));
      }
      const int64_t size = static_cast<int64_t>(stat.size);
      const int64_t compressed = static_cast<int64_t>(stat.comp_size);
      if (size > limits_.maxMemberBytes)
      {
        zip_discard(archive_);
        throw ZipRefused("a file in the ZIP is larger than " + std::to_string(limits_.maxMemberBytes) + " bytes", true);
      }
      if (size > kRatioFloorBytes && size > limits_.maxCompressionRatio * std::max<int64_t>(compressed, 1))
      {
        zip_discard(archive_);
        throw ZipRefused("a file in the ZIP is compressed beyond what images allow (a ZIP bomb?)", true);
      }
      total += size;
      if (total > limits_.maxTotalBytes)
      {
        zip_discard(archive_);
        throw ZipRefused("the ZIP unpacks to more than " + std::to_string(limits_.maxTotalBytes) + " bytes", true);
      }
      const bool encrypted = (stat.valid & ZIP_STAT_ENCRYPTION_METHOD) && stat.encryption_method != ZIP_EM_NONE;
      members_.push_back({static_cast<uint64_t>(i), name, size, encrypted});
    }
  }

  ZipArchive::~ZipArchive()
  {
    if (archive_ != nullptr)
    {
      zip_discard(archive_);
    }
  }

  std::string ZipArchive::Read(const Member& member)
  {
    if (member.encrypted)
    {
      throw ZipRefused("the file is encrypted in the ZIP", false);
    }
    std::unique_ptr<zip_file_t, int (*)(zip_file_t*)> file(zip_fopen_index(archive_, member.index, 0), zip_fclose);
    if (!file)
    {
      throw ZipRefused("a file in the ZIP cannot be unpacked", false);
    }
    // One byte more than declared is read: a member larger than its
    // directory entry says is refused, never unpacked further.
    std::string content(static_cast<size_t>(member.size) + 1, '\0');
    size_t filled = 0;
    for (;;)
    {
      const zip_int64_t read = zip_fread(file.get(), content.data() + filled, content.size() - filled);
      if (read < 0)
      {
        throw ZipRefused("a file in the ZIP is damaged", false);
      }
      if (read == 0)
      {
        break;
      }
      filled += static_cast<size_t>(read);
      if (filled > static_cast<size_t>(member.size))
      {
        throw ZipRefused("a file in the ZIP is larger than its directory says", true);
      }
    }
    content.resize(filled);
    return content;
  }
}
