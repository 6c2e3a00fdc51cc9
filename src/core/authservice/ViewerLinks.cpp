// SPDX-License-Identifier: GPL-3.0-or-later
#include "ViewerLinks.h"

#include "TextUtilities.h"

namespace studyshare
{
  namespace
  {
    // Tokens are base64url and dots, UIDs digits and dots, Orthanc IDs hex
    // and dashes: nothing here needs escaping, but a stray character must
    // never end a query argument.
    std::string EscapeArgument(const std::string& value)
    {
      static const char* const kHex = "0123456789ABCDEF";
      std::string escaped;
      for (unsigned char c : value)
      {
        if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~')
        {
          escaped += static_cast<char>(c);
        }
        else
        {
          escaped += '%';
          escaped += kHex[c >> 4];
          escaped += kHex[c & 15];
        }
      }
      return escaped;
    }

    // Every study's identifier of one kind, comma-separated; nothing when one is unknown.
    std::optional<std::string> JoinIds(const std::vector<SharedStudy>& studies, bool dicomUids)
    {
      std::string joined;
      for (const SharedStudy& study : studies)
      {
        const std::string& id = dicomUids ? study.dicomUid : study.orthancId;
        if (id.empty())
        {
          return std::nullopt;
        }
        joined += (joined.empty() ? "" : ",") + EscapeArgument(id);
      }
      if (joined.empty())
      {
        return std::nullopt;
      }
      return joined;
    }

    std::string WithoutQuery(const std::string& url)
    {
      return url.substr(0, url.find_first_of("?#"));
    }
  }

  std::string NormalizeRoot(const std::string& root)
  {
    if (root.empty() || root.back() == '/')
    {
      return root;
    }
    return root + "/";
  }

  bool IsPublished(AuthTokenType type, const PublicRoots& roots)
  {
    switch (type)
    {
      case AuthTokenType::StoneViewerPublication:
      case AuthTokenType::OsimisViewerPublication:
      case AuthTokenType::VolviewViewerPublication:
        return !roots.orthancRoot.empty();
      case AuthTokenType::OhifViewerPublication:
        return !roots.ohifRoot.empty();
      case AuthTokenType::MeddreamViewerPublication:
      case AuthTokenType::MeddreamInstantLink:
        return !roots.meddreamRoot.empty();
      case AuthTokenType::ViewerInstantLink:
      case AuthTokenType::DownloadInstantLink:
        return true;
    }
    return false;
  }

  std::optional<std::string> BuildViewerUrl(AuthTokenType type, const std::vector<SharedStudy>& studies,
                                            const std::string& token, const PublicRoots& roots)
  {
    if (!IsPublished(type, roots))
    {
      return std::nullopt;
    }
    const std::string tokenArgument = "token=" + EscapeArgument(token);
    std::optional<std::string> ids;
    switch (type)
    {
      case AuthTokenType::StoneViewerPublication:
        if ((ids = JoinIds(studies, true)))
        {
          return roots.orthancRoot + "stone-webviewer/index.html?study=" + *ids + "&selectedStudies=" + *ids + "&" +
                 tokenArgument;
        }
        break;
      case AuthTokenType::OsimisViewerPublication:
        if ((ids = JoinIds(studies, false)))
        {
          return roots.orthancRoot + "osimis-viewer/app/index.html?pickableStudyIds=" + *ids +
                 "&selectedStudyIds=" + *ids + "&" + tokenArgument;
        }
        break;
      case AuthTokenType::OhifViewerPublication:
        if (roots.ohifDataSource == "dicom-json")
        {
          if ((ids = JoinIds(studies, false)))
          {
            return roots.ohifRoot + "viewer?url=../studies/" + *ids + "/ohif-dicom-json&" + tokenArgument;
          }
        }
        else if ((ids = JoinIds(studies, true)))
        {
          return roots.ohifRoot + "viewer?StudyInstanceUIDs=" + *ids + "&" + tokenArgument;
        }
        break;
      case AuthTokenType::VolviewViewerPublication:
        if (JoinIds(studies, false))
        {
          std::string urls;
          for (const SharedStudy& study : studies)
          {
            urls += (urls.empty() ? "" : ",") + std::string("../studies/") + study.orthancId + "/archive";
          }
          return roots.orthancRoot + "volview/index.html?names=[archive.zip]&urls=[" + urls + "]&" + tokenArgument;
        }
        break;
      case AuthTokenType::MeddreamViewerPublication:
      case AuthTokenType::MeddreamInstantLink:
        if ((ids = JoinIds(studies, true)))
        {
          return roots.meddreamRoot + "?study=" + *ids + "&" + tokenArgument;
        }
        break;
      case AuthTokenType::ViewerInstantLink:
      case AuthTokenType::DownloadInstantLink:
        break;
    }
    return std::nullopt;
  }

  std::optional<std::string> BuildShareLink(AuthTokenType type, const std::vector<SharedStudy>& studies,
                                            const std::string& token, const PublicRoots& roots)
  {
    // Instant links are appended to the caller's own link ("?token=").
    if (type == AuthTokenType::ViewerInstantLink || type == AuthTokenType::DownloadInstantLink ||
        type == AuthTokenType::MeddreamInstantLink)
    {
      return type == AuthTokenType::MeddreamInstantLink ? BuildViewerUrl(type, studies, token, roots) : std::nullopt;
    }
    if (!roots.landingRoot.empty())
    {
      return WithoutQuery(roots.landingRoot) + "?token=" + EscapeArgument(token);
    }
    if (!roots.ownLandingUrl.empty())
    {
      // The fragment never reaches a server: the token stays out of access logs.
      return roots.ownLandingUrl + "#token=" + token;
    }
    return BuildViewerUrl(type, studies, token, roots);
  }
}
