// SPDX-License-Identifier: GPL-3.0-or-later
// POST share/api/open: the token or code (plus any answers, and the tab's kept session)
// goes in the body only.
import { SHARE_BASE } from './link.js';
import { state } from './session.js';

export function openShare(answers) {
  var body = {};
  if (state.shareToken) body[state.shortLink ? 'Key' : 'Token'] = state.shareToken; else if (state.accessCode) body.AccessCode = state.accessCode;
  // The tab's kept session: the server gives it back (no use spent) when it is still
  // valid and, with a link, of the same share; otherwise the link opens as usual.
  if (state.keptSession) body.SessionToken = state.keptSession;
  if (answers) Object.keys(answers).forEach(function (k) { body[k] = answers[k]; });
  return fetch(SHARE_BASE + 'api/open', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Accept': 'application/json' },
    body: JSON.stringify(body),
    credentials: 'omit',
    cache: 'no-store',
    referrerPolicy: 'no-referrer'
  }).then(function (r) {
    return r.text().then(function (txt) {
      var data = null;
      try { data = txt ? JSON.parse(txt) : null; } catch (e) { data = null; }
      return { status: r.status, ok: r.ok, data: data };
    });
  }, function () { return { status: 0, ok: false, data: null }; });
}
