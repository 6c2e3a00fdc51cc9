// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

struct zip;

namespace studyshare
{
  struct ZipLimits
  {
    int64_t maxMembers = 20000;
    int64_t maxMemberBytes = int64_t(512) << 20;
    int64_t maxTotalBytes = int64_t(4) << 30;
    // Uncompressed / compressed, for members over 1 MiB: DICOM seldom
    // compresses past 50; a ZIP bomb compresses past 1000.
    int64_t maxCompressionRatio = 200;
  };

  // A ZIP refused as a whole: past a limit (overLimit, answered 413) or not
  // readable as a ZIP (answered 400). The message is safe to show.
  class ZipRefused : public std::runtime_error
  {
  public:
    ZipRefused(const std::string& message, bool overLimit) : std::runtime_error(message), overLimit_(overLimit) {}
    bool IsOverLimit() const { return overLimit_; }

  private:
    bool overLimit_;
  };

  // A ZIP held in memory, unpacked one member at a time. Its central
  // directory is checked against the limits when it is opened; each member's
  // real size is checked again while it is read (a directory may lie).
  class ZipArchive
  {
  public:
    ZipArchive(std::string_view data, const ZipLimits& limits);  // throws ZipRefused
    ~ZipArchive();
    ZipArchive(const ZipArchive&) = delete;
    ZipArchive& operator=(const ZipArchive&) = delete;

    struct Member
    {
      uint64_t index = 0;
      std::string name;
      int64_t size = 0;
      bool encrypted = false;
    };

    // Files only (directories are left out), in the archive's order.
    const std::vector<Member>& Members() const { return members_; }
    std::string Read(const Member& member);  // throws ZipRefused

  private:
    zip* archive_ = nullptr;
    ZipLimits limits_;
    std::vector<Member> members_;
  };
}
