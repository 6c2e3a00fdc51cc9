// SPDX-License-Identifier: GPL-3.0-or-later
#include "StoreFolder.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace studyshare
{
  namespace
  {
    std::string ParentOf(const std::string& path)
    {
      const size_t slash = path.find_last_of('/');
      if (slash == std::string::npos)
      {
        return ".";
      }
      return slash == 0 ? "/" : path.substr(0, slash);
    }

    void MakeFolder(const std::string& folder, mode_t mode, const std::string& setting)
    {
      struct stat info = {};
      if (::stat(folder.c_str(), &info) == 0)
      {
        if (!S_ISDIR(info.st_mode))
        {
          throw StoreFolderError("the store folder " + folder + " is not a folder; change " + setting);
        }
        return;
      }
      if (folder != ParentOf(folder))
      {
        MakeFolder(ParentOf(folder), 0755, setting);
      }
      if (::mkdir(folder.c_str(), mode) != 0 && errno != EEXIST)
      {
        throw StoreFolderError("cannot create the store folder " + folder + ": " + std::strerror(errno) +
                               "; create it for this user or change " + setting);
      }
    }
  }

  void EnsureStoreFolder(const std::string& filePath, const std::string& setting)
  {
    const std::string folder = ParentOf(filePath);
    MakeFolder(folder, 0700, setting);
    if (::access(folder.c_str(), W_OK | X_OK) != 0)
    {
      throw StoreFolderError("the store folder " + folder + " is not writable by this user (uid " +
                             std::to_string(::getuid()) + "); give it to this user or change " + setting);
    }
  }

  std::string DefaultStateDirectory(const std::string& fallback)
  {
    const char* state = std::getenv("STATE_DIRECTORY");
    if (state == nullptr || *state == '\0')
    {
      return fallback;
    }
    const std::string first(state, std::strcspn(state, ":"));
    return first.empty() ? fallback : first;
  }
}
