// SPDX-License-Identifier: GPL-3.0-or-later
#include "OhifRoutes.h"

#include "CallbackGuard.h"
#include "FileReading.h"
#include "OhifAppRewriting.h"

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <stdexcept>

#include <sys/stat.h>

namespace studyshare::plugin
{
  namespace
  {
    // What the callbacks need, fixed at registration (the configuration never
    // changes while Orthanc runs).
    struct OhifState
    {
      std::string folder;     // realpath of the build, no trailing slash
      std::string base;       // path the browser sees: PublicUrl's path + root, no trailing slash
      std::string indexHtml;  // index.html rewritten for `base`
      std::string appConfig;  // generated app-config.js
    };

    OhifState* g_state = nullptr;

    // OHIF needs no framing, no plugins and talks to this origin only; the
    // connect-src 'self' keeps the session token from ever leaving it.
    // 'unsafe-eval'/'wasm-unsafe-eval' and blob: workers are what the
    // prebuilt bundles (cornerstone, codecs) use; inline scripts are index.html's.
    const char kContentSecurityPolicy[] =
      "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval' 'wasm-unsafe-eval' blob:; "
      "worker-src 'self' blob:; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
      "font-src 'self' data:; connect-src 'self' data: blob:; media-src 'self' blob:; object-src 'none'; "
      "frame-ancestors 'self'; base-uri 'self'; form-action 'self'";

    std::string Extension(const std::string& path)
    {
      const size_t slash = path.rfind('/');
      const std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
      const size_t dot = name.rfind('.');
      if (dot == std::string::npos || dot == 0)
      {
        return "";
      }
      std::string ext = name.substr(dot + 1);
      for (char& c : ext)
      {
        c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
      }
      return ext;
    }

    const char* MimeType(const std::string& ext)
    {
      static const struct
      {
        const char* ext;
        const char* mime;
      } kTypes[] = {
        {"js", "text/javascript; charset=utf-8"},
        {"mjs", "text/javascript; charset=utf-8"},
        {"css", "text/css; charset=utf-8"},
        {"html", "text/html; charset=utf-8"},
        {"json", "application/json"},
        {"map", "application/json"},
        {"wasm", "application/wasm"},
        {"svg", "image/svg+xml"},
        {"png", "image/png"},
        {"jpg", "image/jpeg"},
        {"jpeg", "image/jpeg"},
        {"gif", "image/gif"},
        {"ico", "image/x-icon"},
        {"woff", "font/woff"},
        {"woff2", "font/woff2"},
        {"ttf", "font/ttf"},
        {"txt", "text/plain; charset=utf-8"},
        {"xml", "application/xml"},
        {"webmanifest", "application/manifest+json"},
        {"webapp", "application/x-web-app-manifest+json"},
        {"onnx", "application/octet-stream"},
      };
      for (const auto& t : kTypes)
      {
        if (ext == t.ext)
        {
          return t.mime;
        }
      }
      return "application/octet-stream";
    }

    // A path whose last segment has one of these extensions is an asset: when
    // it is missing the answer is 404, not the single-page app's index.html
    // (which would only make the browser fail later with a parse error).
    bool IsAssetExtension(const std::string& ext)
    {
      static const char* const kAssets[] = {"js",  "mjs", "css",  "json",        "map",    "wasm", "svg",
                                            "png", "jpg", "jpeg", "gif",         "ico",    "woff", "woff2",
                                            "ttf", "txt", "xml",  "webmanifest", "webapp", "html", "onnx"};
      for (const char* a : kAssets)
      {
        if (ext == a)
        {
          return true;
        }
      }
      return false;
    }

    // Webpack writes a content hash into the names of its bundles, chunks,
    // fonts and wasm files (e.g. "app.bundle.096daabbdde29bd851ab.js",
    // "31fb9346313fc3740d7b.woff2"): a file by that name never changes.
    bool IsHashedName(const std::string& path)
    {
      const size_t slash = path.rfind('/');
      const std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
      size_t run = 0;
      for (size_t i = 0; i <= name.size(); ++i)
      {
        const char c = i < name.size() ? name[i] : '.';
        if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))
        {
          ++run;
        }
        else
        {
          if (c == '.' && run >= 16 && (i == run || name[i - run - 1] == '.'))
          {
            return true;
          }
          run = 0;
        }
      }
      return false;
    }

    std::string RealPath(const std::string& path)
    {
      char resolved[PATH_MAX];
      if (::realpath(path.c_str(), resolved) == nullptr)
      {
        return "";
      }
      return resolved;
    }

    std::string EscapeRegex(const std::string& s)
    {
      std::string out;
      for (char c : s)
      {
        if (std::strchr(".^$|()[]{}*+?\\", c) != nullptr)
        {
          out += '\\';
        }
        out += c;
      }
      return out;
    }

    void SetCommonHeaders(OrthancPluginContext* context, OrthancPluginRestOutput* output, const char* cacheControl)
    {
      OrthancPluginSetHttpHeader(context, output, "Cache-Control", cacheControl);
      OrthancPluginSetHttpHeader(context, output, "X-Content-Type-Options", "nosniff");
      OrthancPluginSetHttpHeader(context, output, "Referrer-Policy", "no-referrer");
      OrthancPluginSetHttpHeader(context, output, "Content-Security-Policy", kContentSecurityPolicy);
      OrthancPluginSetHttpHeader(context, output, "X-Frame-Options", "SAMEORIGIN");
    }

    void AnswerIndex(OrthancPluginContext* context, OrthancPluginRestOutput* output)
    {
      SetCommonHeaders(context, output, "no-store");
      OrthancPluginAnswerBuffer(context, output, g_state->indexHtml.data(),
                                static_cast<uint32_t>(g_state->indexHtml.size()), "text/html; charset=utf-8");
    }

    // Decides which file of the build a relative URL path names. Returns false
    // for anything that could leave the folder.
    bool IsAcceptablePath(const std::string& relative)
    {
      if (relative.find('\0') != std::string::npos || relative.find('\\') != std::string::npos ||
          (!relative.empty() && relative[0] == '/'))
      {
        return false;
      }
      size_t start = 0;
      while (start <= relative.size())
      {
        size_t end = relative.find('/', start);
        if (end == std::string::npos)
        {
          end = relative.size();
        }
        const std::string segment = relative.substr(start, end - start);
        if (segment == ".." || segment == ".")
        {
          return false;
        }
        start = end + 1;
      }
      return true;
    }

    OrthancPluginErrorCode OnOhif(OrthancPluginRestOutput* output, const char*, const OrthancPluginHttpRequest* request)
    {
      return GuardRestCallback(
        output,
        [&]
        {
          OrthancPluginContext* context = PluginRuntime::Get().Orthanc().Context();
          if (request->method != OrthancPluginHttpMethod_Get)
          {
            return OrthancPluginSendMethodNotAllowed(context, output, "GET");
          }
          std::string relative = request->groupsCount > 0 && request->groups[0] != nullptr ? request->groups[0] : "";
          while (!relative.empty() && relative.back() == '/')
          {
            relative.pop_back();
          }
          if (relative.empty() || relative == "index.html")
          {
            return AnswerIndex(context, output);
          }
          if (relative == "app-config.js")
          {
            SetCommonHeaders(context, output, "no-store");
            OrthancPluginAnswerBuffer(context, output, g_state->appConfig.data(),
                                      static_cast<uint32_t>(g_state->appConfig.size()),
                                      "text/javascript; charset=utf-8");
            return;
          }
          if (!IsAcceptablePath(relative))
          {
            return OrthancPluginSendHttpStatusCode(context, output, 404);
          }

          const std::string ext = Extension(relative);
          const std::string resolved = RealPath(g_state->folder + "/" + relative);
          struct stat info;
          const bool isFile = !resolved.empty() &&
                              resolved.compare(0, g_state->folder.size() + 1, g_state->folder + "/") == 0 &&
                              ::stat(resolved.c_str(), &info) == 0 && S_ISREG(info.st_mode);
          if (!isFile)
          {
            if (!resolved.empty() && resolved.compare(0, g_state->folder.size() + 1, g_state->folder + "/") != 0)
            {
              // A symbolic link out of the folder: never followed.
              return OrthancPluginSendHttpStatusCode(context, output, 404);
            }
            if (IsAssetExtension(ext))
            {
              return OrthancPluginSendHttpStatusCode(context, output, 404);
            }
            return AnswerIndex(context, output);  // a route of the single-page app, e.g. /ohif/viewer
          }

          auto file = ReadWholeFile(resolved);
          if (!file)
          {
            return OrthancPluginSendHttpStatusCode(context, output, 404);
          }
          std::string& content = *file;
          if (content.size() > UINT32_MAX)
          {
            throw std::runtime_error("OHIF file too large to serve: " + relative);
          }
          RewriteOhifAsset(ext, relative, content, g_state->base);
          SetCommonHeaders(context, output,
                           IsHashedName(relative) ? "public, max-age=31536000, immutable" : "public, max-age=3600");
          OrthancPluginAnswerBuffer(context, output, content.data(), static_cast<uint32_t>(content.size()),
                                    MimeType(ext));
        });
    }
  }

  void RegisterOhifRoutes(OrthancPluginContext* context, const OhifSettings& settings)
  {
    // Called from OrthancPluginInitialize: nothing may escape as an exception.
    try
    {
      if (settings.folder.empty())
      {
        return;
      }
      const OrthancApi& orthanc = PluginRuntime::Get().Orthanc();
      auto state = std::make_unique<OhifState>();
      state->folder = RealPath(settings.folder);
      if (state->folder.empty())
      {
        orthanc.LogError("OHIF is not served: cannot resolve the folder " + settings.folder + " (" +
                         std::strerror(errno) + ")");
        return;
      }
      std::string root = settings.root;
      while (root.size() > 1 && root.back() == '/')
      {
        root.pop_back();
      }
      const std::string prefix = PluginRuntime::Get().Config().publicPath;
      state->base = prefix + root;
      const std::string dicomWeb = prefix + settings.dicomWebRoot;
      if (!IsSafeOhifUrlPath(root) || root == "/" || !IsSafeOhifUrlPath(state->base) || !IsSafeOhifUrlPath(dicomWeb))
      {
        orthanc.LogError("OHIF is not served: its root '" + state->base + "' or the DICOMweb root '" + dicomWeb +
                         "' is not a plain URL path");
        return;
      }
      const auto html = ReadWholeFile(state->folder + "/index.html");
      if (!html)
      {
        orthanc.LogError("OHIF is not served: cannot read " + state->folder + "/index.html");
        return;
      }
      state->indexHtml = RewriteOhifIndexHtml(*html, state->base);
      state->appConfig = MakeOhifAppConfig(state->base, dicomWeb);
      g_state = state.release();  // lives as long as the routes, i.e. until Orthanc exits

      const std::string regex = EscapeRegex(root);
      OrthancPluginRegisterRestCallbackNoLock(context, regex.c_str(), OnOhif);
      OrthancPluginRegisterRestCallbackNoLock(context, (regex + "/(.*)").c_str(), OnOhif);
      orthanc.LogWarning("serving OHIF from " + g_state->folder + " under " + g_state->base + "/ (DICOMweb at " +
                         dicomWeb + ")");
    }
    catch (const std::exception& e)
    {
      OrthancPluginLogError(context, (std::string("StudyShare: OHIF is not served: ") + e.what()).c_str());
    }
    catch (...)
    {
      OrthancPluginLogError(context, "StudyShare: OHIF is not served: unexpected error");
    }
  }
}
