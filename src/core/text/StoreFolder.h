// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <stdexcept>
#include <string>

namespace studyshare
{
  class StoreFolderError : public std::runtime_error
  {
  public:
    using std::runtime_error::runtime_error;
  };

  // Makes sure the folder that will hold `filePath` exists and can be
  // written: missing folders are created (the last one with mode 0700, as
  // it holds the shares), and a folder that cannot be created or written is
  // a StoreFolderError naming it and `setting`, the key or option to change.
  // On a new machine the store must not depend on Orthanc having created
  // its StorageDirectory first.
  void EnsureStoreFolder(const std::string& filePath, const std::string& setting);

  // Where a service keeps its state when nothing says otherwise:
  // $STATE_DIRECTORY (set by systemd's StateDirectory=, first entry), else
  // `fallback`.
  std::string DefaultStateDirectory(const std::string& fallback);
}
