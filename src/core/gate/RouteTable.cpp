// SPDX-License-Identifier: GPL-3.0-or-later
#include "RouteTable.h"

// The route table: the one place that says which Orthanc, DICOMweb and viewer
// routes a share may reach and how each names its DICOM resources. Rows are
// matched in order; a request that matches no row is staff-only. Write
// methods never appear in a shareable row, so no share can ever write.
namespace studyshare
{
  namespace
  {
    constexpr unsigned kGet = static_cast<unsigned>(HttpMethod::Get);
    constexpr unsigned kPost = static_cast<unsigned>(HttpMethod::Post);
    constexpr RouteAccess Public = RouteAccess::Public;
    constexpr RouteAccess Staff = RouteAccess::StaffOnly;
    constexpr RouteAccess Read = RouteAccess::Read;
    constexpr RouteAccess Download = RouteAccess::Download;
    constexpr RouteAccess Qido = RouteAccess::QidoSearch;
    constexpr QueryScope Checked = QueryScope::Checked;

    std::vector<RouteRule> BuildTable()
    {
      return {
        // --- StudyShare's own public routes (recipients) ---
        {"share-pages", kRead, "/share/**", Public},
        // An inbox's writes: the plugin's callbacks demand its session (Authorization: Bearer);
        // its summary (GET) is one of the share pages' reads above.
        {"inbox-files", kPost, "/share/api/inbox/files", Public},
        {"inbox-complete", kPost, "/share/api/inbox/complete", Public},
        {"share-api", kRead | kPost, "/share/api/**", Public},
        {"short-link-page", kRead, "/s", Public},  // /s/#<key>: the key is in the fragment
        {"staff-pages", kRead, "/studyshare/staff/**", Public},
        {"staff-login", kPost, "/studyshare/api/login", Public},
        {"studyshare-health", kRead, "/studyshare/health", Public},
        // Orthanc Explorer 2's token landing page decodes the token it was given.
        {"explorer-token-decode", kPost, "/auth/tokens/decode", Public},
        // Orthanc Explorer's shell (HTML, scripts, styles, images: Orthanc's
        // embedded files, no patient data) and the plugins' extension scripts,
        // so a browser that is not signed in gets a page whose first refused
        // call sends it to the sign-in page; "/" only redirects there.
        {"explorer-home", kRead, "/", Public},
        {"explorer-shell", kRead, "/app/**", Public},
        {"explorer-extensions", kRead, "/plugins/explorer.js", Public},
        // Orthanc Explorer 2 (1.14): its entry (StudyShare answers it: the page for staff, the
        // sign-in page for others), its token landing page and static files (no patient data),
        // and the configuration read before signing in (Keycloak's address, if any).
        {"oe2-entry", kRead, "/ui/app", Public},
        {"oe2-token-landing", kRead, "/ui/app/token-landing.html", Public},
        {"oe2-assets", kRead, "/ui/app/assets/**", Public},
        {"oe2-favicon", kRead, "/ui/app/favicon.ico", Public},
        {"oe2-pre-login-configuration", kRead, "/ui/api/pre-login-configuration", Public},
        // What its token landing page reads with the share's token: the UI's options, no patient data.
        {"oe2-configuration", kRead, "/ui/api/configuration", RouteAccess::AnyShare},

        // --- Orthanc REST: studies ---
        {"study", kRead, "/studies/{study}", Read},
        {"study-series", kRead, "/studies/{study}/series", Read},
        {"study-instances", kRead, "/studies/{study}/instances", Read},
        {"study-shared-tags", kRead, "/studies/{study}/shared-tags", Read},
        {"study-instances-tags", kRead, "/studies/{study}/instances-tags", Read},
        {"study-module", kRead, "/studies/{study}/module", Read},
        {"study-module-patient", kRead, "/studies/{study}/module-patient", Read},
        {"study-statistics", kRead, "/studies/{study}/statistics", Read},
        {"study-metadata", kRead, "/studies/{study}/metadata", Read},
        {"study-metadata-item", kRead, "/studies/{study}/metadata/*", Read},
        {"study-archive", kRead, "/studies/{study}/archive", Download},
        {"study-media", kRead, "/studies/{study}/media", Download},

        // --- Orthanc REST: series ---
        {"series", kRead, "/series/{series}", Read},
        {"series-instances", kRead, "/series/{series}/instances", Read},
        {"series-study", kRead, "/series/{series}/study", Read},
        {"series-shared-tags", kRead, "/series/{series}/shared-tags", Read},
        {"series-instances-tags", kRead, "/series/{series}/instances-tags", Read},
        {"series-module", kRead, "/series/{series}/module", Read},
        {"series-statistics", kRead, "/series/{series}/statistics", Read},
        {"series-metadata", kRead, "/series/{series}/metadata", Read},
        {"series-metadata-item", kRead, "/series/{series}/metadata/*", Read},
        {"series-ordered-slices", kRead, "/series/{series}/ordered-slices", Read},
        {"series-numpy", kRead, "/series/{series}/numpy", Read},
        {"series-archive", kRead, "/series/{series}/archive", Download},
        {"series-media", kRead, "/series/{series}/media", Download},

        // --- Orthanc REST: instances ---
        {"instance", kRead, "/instances/{instance}", Read},
        {"instance-file", kRead, "/instances/{instance}/file", Download},
        {"instance-tags", kRead, "/instances/{instance}/tags", Read},
        {"instance-simplified-tags", kRead, "/instances/{instance}/simplified-tags", Read},
        {"instance-header", kRead, "/instances/{instance}/header", Read},
        {"instance-content", kRead, "/instances/{instance}/content/**", Read},
        {"instance-frames", kRead, "/instances/{instance}/frames", Read},
        {"instance-frame", kRead, "/instances/{instance}/frames/*", Read},
        {"instance-frame-render", kRead, "/instances/{instance}/frames/*/*", Read},
        {"instance-preview", kRead, "/instances/{instance}/preview", Read},
        {"instance-rendered", kRead, "/instances/{instance}/rendered", Read},
        {"instance-image-uint8", kRead, "/instances/{instance}/image-uint8", Read},
        {"instance-image-uint16", kRead, "/instances/{instance}/image-uint16", Read},
        {"instance-image-int16", kRead, "/instances/{instance}/image-int16", Read},
        {"instance-matlab", kRead, "/instances/{instance}/matlab", Read},
        {"instance-numpy", kRead, "/instances/{instance}/numpy", Read},
        {"instance-pdf", kRead, "/instances/{instance}/pdf", Read},
        {"instance-module", kRead, "/instances/{instance}/module", Read},
        {"instance-statistics", kRead, "/instances/{instance}/statistics", Read},
        {"instance-series", kRead, "/instances/{instance}/series", Read},
        {"instance-study", kRead, "/instances/{instance}/study", Read},
        {"instance-metadata", kRead, "/instances/{instance}/metadata", Read},
        {"instance-metadata-item", kRead, "/instances/{instance}/metadata/*", Read},

        // --- DICOMweb: QIDO-RS searches (need a granted UID filter) ---
        {"qido-studies", kRead, "{dicomweb}/studies", Qido, QueryScope::SearchStudies},
        {"qido-series", kRead, "{dicomweb}/series", Qido, QueryScope::SearchSeries},
        {"qido-instances", kRead, "{dicomweb}/instances", Qido, QueryScope::SearchInstances},

        // --- DICOMweb: WADO-RS and study-scoped QIDO-RS ---
        // Retrieving a study, series or instance answers the DICOM objects
        // themselves (multipart application/dicom): Download, like an archive.
        {"wado-study", kRead, "{dicomweb}/studies/{study-uid}", Download, Checked},
        {"wado-study-metadata", kRead, "{dicomweb}/studies/{study-uid}/metadata", Read, Checked},
        {"wado-study-rendered", kRead, "{dicomweb}/studies/{study-uid}/rendered", Read, Checked},
        {"wado-study-thumbnail", kRead, "{dicomweb}/studies/{study-uid}/thumbnail", Read, Checked},
        {"qido-study-series", kRead, "{dicomweb}/studies/{study-uid}/series", Read, Checked},
        {"qido-study-instances", kRead, "{dicomweb}/studies/{study-uid}/instances", Read, Checked},
        {"wado-series", kRead, "{dicomweb}/studies/{study-uid}/series/{series-uid}", Download, Checked},
        {"wado-series-metadata", kRead, "{dicomweb}/studies/{study-uid}/series/{series-uid}/metadata", Read, Checked},
        {"wado-series-rendered", kRead, "{dicomweb}/studies/{study-uid}/series/{series-uid}/rendered", Read, Checked},
        {"wado-series-thumbnail", kRead, "{dicomweb}/studies/{study-uid}/series/{series-uid}/thumbnail", Read, Checked},
        {"qido-series-instances", kRead, "{dicomweb}/studies/{study-uid}/series/{series-uid}/instances", Read, Checked},
        {"wado-instance", kRead, "{dicomweb}/studies/{study-uid}/series/{series-uid}/instances/{instance-uid}",
         Download, Checked},
        {"wado-instance-metadata", kRead,
         "{dicomweb}/studies/{study-uid}/series/{series-uid}/instances/{instance-uid}/metadata", Read, Checked},
        {"wado-instance-rendered", kRead,
         "{dicomweb}/studies/{study-uid}/series/{series-uid}/instances/{instance-uid}/rendered", Read, Checked},
        {"wado-instance-thumbnail", kRead,
         "{dicomweb}/studies/{study-uid}/series/{series-uid}/instances/{instance-uid}/thumbnail", Read, Checked},
        {"wado-frames", kRead, "{dicomweb}/studies/{study-uid}/series/{series-uid}/instances/{instance-uid}/frames/*",
         Read, Checked},
        {"wado-frames-rendered", kRead,
         "{dicomweb}/studies/{study-uid}/series/{series-uid}/instances/{instance-uid}/frames/*/rendered", Read,
         Checked},
        {"wado-frames-thumbnail", kRead,
         "{dicomweb}/studies/{study-uid}/series/{series-uid}/instances/{instance-uid}/frames/*/thumbnail", Read,
         Checked},
        {"wado-bulk", kRead, "{dicomweb}/studies/{study-uid}/series/{series-uid}/instances/{instance-uid}/bulk/**",
         Read, Checked},

        // --- DICOMweb: WADO-URI (decided by the object it returns; as application/dicom it needs Download) ---
        {"wado-uri", kRead, "{wado}", RouteAccess::WadoUri},

        // --- Orthanc Web Viewer (orthanc-webviewer 2.x) ---
        {"webviewer-static", kRead, "/web-viewer/app/**", Public},
        {"webviewer-libs", kRead, "/web-viewer/libs/**", Public},
        {"webviewer-series", kRead, "/web-viewer/series/{series}", Read},
        {"webviewer-is-stable", kRead, "/web-viewer/is-stable-series/{series}", Read},
        {"webviewer-instance", kRead, "/web-viewer/instances/{*}-{instance}_{*}", Read},

        // --- Stone Web Viewer: static files and its configuration ---
        {"stone-static", kRead, "/stone-webviewer/**", Public},
        {"system", kRead, "/system", RouteAccess::AnyShare},

        // --- OHIF (DICOMweb data source uses the DICOMweb rows; DICOM-JSON source below) ---
        {"ohif-static", kRead, "{ohif}/**", Public},
        {"ohif-dicom-json", kRead, "/studies/{study}/ohif-dicom-json", Read},

        // --- Osimis Web Viewer ---
        {"osimis-static", kRead, "/osimis-viewer/app/**", Public},
        {"osimis-languages", kRead, "/osimis-viewer/languages/**", Public},
        {"osimis-config", kRead, "/osimis-viewer/config.js", Public},
        {"osimis-series", kRead, "/osimis-viewer/series/{series}", Read},
        {"osimis-study", kRead, "/osimis-viewer/studies/{study}", Read},
        {"osimis-study-annotations", kRead, "/osimis-viewer/studies/{study}/**", Read},
        {"osimis-images", kRead, "/osimis-viewer/images/{instance}/**", Read},

        // --- VolView: static files; it reads the study through /studies/{id}/archive (Download) ---
        {"volview-static", kRead, "/volview/**", Public},

        // --- Orthanc 1.12 only (labels, exports of one instance): staff-only, named so that they stay so.
        // A share reads a study's labels in the study's own answer (`Labels`), never through these.
        {"study-labels", kAnyMethod, "/studies/*/labels/**", Staff},
        {"series-labels", kAnyMethod, "/series/*/labels/**", Staff},
        {"instance-labels", kAnyMethod, "/instances/*/labels/**", Staff},
        {"instance-export", kAnyMethod, "/instances/*/export", Staff},
        {"tools-labels", kAnyMethod, "/tools/labels", Staff},

        // --- Explicitly staff-only families (documented; unlisted routes are staff-only too) ---
        {"patients", kAnyMethod, "/patients/**", Staff},
        {"tools", kAnyMethod, "/tools/**", Staff},
        {"changes", kAnyMethod, "/changes", Staff},
        {"exports", kAnyMethod, "/exports", Staff},
        {"jobs", kAnyMethod, "/jobs/**", Staff},
        {"modalities", kAnyMethod, "/modalities/**", Staff},
        {"peers", kAnyMethod, "/peers/**", Staff},
        {"webdav", kAnyMethod, "/webdav/**", Staff},
        {"studyshare-admin", kAnyMethod, "/studyshare/**", Staff},
      };
    }
  }

  const std::vector<RouteRule>& DefaultRouteTable()
  {
    static const std::vector<RouteRule> table = BuildTable();
    return table;
  }
}
