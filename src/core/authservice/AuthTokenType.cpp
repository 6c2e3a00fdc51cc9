// SPDX-License-Identifier: GPL-3.0-or-later
#include "AuthTokenType.h"

#include "Share.h"

namespace studyshare
{
  namespace
  {
    struct TypeRow
    {
      AuthTokenType type;
      const char* name;
      unsigned permissions;
      const char* viewer;
    };

    constexpr unsigned kView = static_cast<unsigned>(Permission::View);
    constexpr unsigned kDownload = static_cast<unsigned>(Permission::Download);

    constexpr TypeRow kTypes[] = {
      {AuthTokenType::StoneViewerPublication, "stone-viewer-publication", kView, "stone"},
      {AuthTokenType::OsimisViewerPublication, "osimis-viewer-publication", kView, "osimis"},
      {AuthTokenType::OhifViewerPublication, "ohif-viewer-publication", kView, "ohif"},
      {AuthTokenType::VolviewViewerPublication, "volview-viewer-publication", kView | kDownload, "volview"},
      {AuthTokenType::MeddreamViewerPublication, "meddream-viewer-publication", kView, "meddream"},
      {AuthTokenType::MeddreamInstantLink, "meddream-instant-link", kView, "meddream"},
      {AuthTokenType::ViewerInstantLink, "viewer-instant-link", kView, "builtin"},
      {AuthTokenType::DownloadInstantLink, "download-instant-link", kView | kDownload, "builtin"},
    };

    const TypeRow& RowOf(AuthTokenType type)
    {
      for (const TypeRow& row : kTypes)
      {
        if (row.type == type)
        {
          return row;
        }
      }
      return kTypes[0];
    }
  }

  const char* ToString(AuthTokenType type)
  {
    return RowOf(type).name;
  }

  std::optional<AuthTokenType> ParseAuthTokenType(std::string_view name)
  {
    for (const TypeRow& row : kTypes)
    {
      if (name == row.name)
      {
        return row.type;
      }
    }
    return std::nullopt;
  }

  unsigned PermissionsOf(AuthTokenType type)
  {
    return RowOf(type).permissions;
  }

  const char* ViewerOf(AuthTokenType type)
  {
    return RowOf(type).viewer;
  }

  std::string ListAuthTokenTypes()
  {
    std::string names;
    for (const TypeRow& row : kTypes)
    {
      names += (names.empty() ? "" : ", ") + std::string(row.name);
    }
    return names;
  }
}
