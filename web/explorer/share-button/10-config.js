// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * StudyShare — "Share" button and dialog for Orthanc Explorer (/app/explorer.html).
 * Injected by the plugin through OrthancPluginExtendOrthancExplorer, which takes one
 * script: the files of web/explorer/share-button/ are joined in name order at build time
 * (cmake/BundleScript.cmake) inside one function scope with 'use strict', so they share
 * their top-level names (the early return below leaves that function). Self-contained
 * (no library of its own, no external resource). It uses the jQuery Mobile page
 * events of Explorer only to know when a study or patient page is shown.
 *
 * Stable hooks (for tests):
 *   #studyshare-share-study, #studyshare-share-patient   the Share buttons
 *   #studyshare-inbox-study, #studyshare-inbox-patient  "Ask for images" (an inbox)
 *   inbox form: #ss-inbox-name, #ss-inbox-email, #ss-inbox-max-upload, #ss-inbox-max-file (MiB),
 *               #ss-inbox-max-files, with #ss-expiry, #ss-note, #ss-password, #ss-code, #ss-max-uses
 *   #studyshare-open-ohif                                "Open in OHIF" (study page, when OHIF is served)
 *   #studyshare-dialog                                   the dialog (role=dialog)
 *   #ss-studies input[name="ss-study"]                   study choice (patient page)
 *   #ss-expiry (0|7|15|30|90|365|date), #ss-expiry-date
 *   #ss-perm-view, #ss-perm-download, #ss-password, #ss-birthdate, #ss-code,
 *   #ss-max-uses, #ss-email (absent without SMTP), #ss-email-lang, #ss-note, #ss-create, #ss-cancel, #ss-error
 *   #studyshare-notice                                  "your role may not do this" (Explorer actions)
 *   #ss-anonymize, #ss-anonymize-warning, #ss-allow-burned-in
 *   #studyshare-copy-note                                on a study StudyShare copied (no Share button)
 *   #ss-result: #ss-link, #ss-copy, #ss-copied, #ss-access-code, #ss-qr,
 *               #ss-expiry-words, #ss-email-status, #ss-letter ("Print a letter…"), #ss-done
 *
 * Writes carry X-Requested-With: the plugin refuses cookie-authenticated writes
 * without it (CSRF rule).
 */
if (window.StudyShareExplorer) {
  return;
}
window.StudyShareExplorer = true;

var ROOT = '../';                      // explorer.html lives in /app/
var API = ROOT + 'studyshare/shares';
var SHARES_PAGE = ROOT + 'studyshare/staff/shares.html';
var LOGIN_PAGE = ROOT + 'studyshare/staff/';
var ME = ROOT + 'studyshare/api/me';
var TEXTS = ROOT + 'studyshare/staff/i18n/';   // the staff pages' translations
var LANGS = ['en', 'fr', 'de', 'es'];
var LANG_NAMES = { en: 'English', fr: 'Français', de: 'Deutsch', es: 'Español' };
var EXPIRY_DAYS = [7, 15, 30, 90, 365];
var DAY = 86400;
// The Orthanc metadata marking StudyShare's anonymized copies (set by the plugin before this script).
var COPY_METADATA = window.StudyShareCopyMetadata || '4511';
