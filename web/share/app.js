// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * StudyShare — recipient single-page app (served at {PublicUrl}/share/).
 * Plain JS as ES modules (js/), no dependencies, CSP-safe (no inline code, no eval, no
 * style attributes). This file starts the page; each module in js/ has one job:
 *   link.js (token from the URL, roots), i18n.js (translations, dates), states.js (which
 *   section shows), session.js (what the recipient holds, authenticated fetch), api.js
 *   (the open request), forms.js (code and challenge forms), opening.js (the open answer),
 *   study.js (study page), actions.js (download, external viewers), images.js (image
 *   caches), viewer.js (built-in viewer); for an inbox link: inbox-page.js (the upload
 *   page), inbox-files.js (what was chosen or dropped), inbox-upload.js (sending),
 *   inbox-progress.js (the bars), inbox-summary.js (what arrived, what was skipped).
 *
 * STATE SELECTORS (stable, for tests). Exactly one <section id="state-…"> is visible
 * (the others carry the `hidden` attribute) and <body data-state="…"> names the state:
 *
 *   section                    body[data-state]      meaning
 *   #state-loading             loading               checking the link / code
 *   #state-code                code                  code-entry page (no token in the link)
 *   #state-code                code-invalid          code entry + #code-error visible
 *                                                    (unknown code from the server, or a
 *                                                    code that is not 15 chars of the alphabet)
 *   #state-challenge           challenge             asks the listed challenges:
 *                                                    #field-password > #password,
 *                                                    #field-birthdate > #birthdate (type=date)
 *   #state-challenge           challenge-failed      same form + #challenge-error visible
 *   #state-invalid             invalid               invalid/incomplete link (also bad-request)
 *   #state-expired             expired               share expired
 *   #state-revoked             revoked               withdrawn by the sender
 *   #state-exhausted           exhausted             use limit reached
 *   #state-preparing           preparing             anonymized copy being made (asks again every 3 s)
 *   #state-unavailable         unavailable           the anonymized copy could not be made
 *   #state-locked              locked                too many failed attempts
 *   #state-rate-limited        rate-limited          too many tries, wait a minute
 *   #state-session-expired     session-expired       session token refused later (401)
 *   #state-error               error                 network error / 5xx / unexpected answer
 *   #state-study               study                 the study page
 *   #state-inbox               inbox                 an inbox link's upload page; its
 *                                                    data-phase: idle|uploading|done|stopped
 *
 * Other stable hooks:
 *   #access-code, #code-submit, #code-error           code form
 *   #password, #birthdate, #challenge-submit, #challenge-error
 *   #lang-select                                       language selector (en/fr/de/es)
 *   #patient-name, #patient-birthdate, #study-date, #study-description
 *   #share-validity (the link's end, or "does not expire"), #session-ends (this viewing session)
 *   #field-accesscode > #challenge-code              access code asked with the link
 *   #locked-until                                      when a locked share opens again
 *   #study-picker (only visible for multi-study shares), button[data-study-index="N"]
 *   #download-button                                   only in the DOM with "Download" permission
 *   #download-status                                   aria-live progress of the download
 *   button[data-viewer="webviewer"][data-series-id=…]   per series (Orthanc Web Viewer)
 *   button[data-viewer="stone|ohif|osimis|volview|meddream"]  per study
 *   #series-list > li.series-item[data-series-id=…]    (.current = shown in the viewer)
 *   .series-item img.thumb-img                          thumbnail (blob: URL once loaded)
 *   #viewer-image                                      current image (blob: URL), data-instance-id
 *   #viewer-counter                                    "3 / 24"
 *   #viewer-first/#viewer-prev/#viewer-next/#viewer-last
 *   #viewer-presets button[data-preset="default|soft|lung|bone|brain"] (CT only)
 *   #viewer-error                                      image could not be displayed
 *   #inbox-folder-input, #inbox-files-input            the pickers (folder, files or ZIPs)
 *   #inbox-bar (progress, max 1000), #inbox-progress-text, #inbox-time-left
 *   #inbox-current > li (files on their way), #inbox-failed > li, #inbox-retry
 *   #inbox-stopped                                     why the upload ended (full, closed)
 *   #inbox-studies > li.inbox-study, #inbox-skipped > li (.file-name, .file-reason)
 *
 * Security: the share token is read from the URL fragment, removed from the address
 * bar at once, and only ever sent in the body of POST share/api/open. The session
 * token lives in memory and in this tab's sessionStorage (never localStorage, the URL,
 * the DOM or logs), so a reload resumes it without spending a use; it is sent as
 * "Authorization: Bearer" on image/archive requests and in the body of share/api/open;
 * it is put in a URL only when the recipient asks to open an external viewer that
 * requires it.
 */
import { $ } from './js/link.js';
import { pickLang, saveLang, setLang } from './js/i18n.js';
import { state } from './js/session.js';
import { openShare } from './js/api.js';
import { showCode, initCodeForm, initChallengeForm } from './js/forms.js';
import { submitOpen, handleOpen, initRetryButtons } from './js/opening.js';
import { initViewer } from './js/viewer.js';
import { initEmailCode } from './js/emailcode.js';
import { initInbox } from './js/inbox-page.js';

function start() {
  initCodeForm(submitOpen);
  initChallengeForm(submitOpen);
  initRetryButtons();
  initEmailCode(function () { submitOpen(null); });
  initViewer();
  initInbox();
  $('lang-select').addEventListener('change', function (e) {
    var l = e.target.value;
    saveLang(l);
    setLang(l);
  });
  // The open request runs while the strings load; its answer is shown once they are in.
  // A reloaded tab presents the session it kept; no link and no code are needed.
  var pending = (state.shareToken || state.keptSession) ? openShare(null) : null;
  setLang(pickLang()).then(function () {
    if (pending) pending.then(function (res) { handleOpen(res, false); });
    else showCode();
  });
}

// Module scripts run after the document is parsed.
start();
