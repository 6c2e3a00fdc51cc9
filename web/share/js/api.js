// SPDX-License-Identifier: GPL-3.0-or-later
// POST share/api/open: the token or code (plus any answers) goes in the body only.
import { SHARE_BASE } from './link.js';
import { state } from './session.js';

export function openShare(answers) {
  var body = {};
  if (state.shareToken) body.Token = state.shareToken; else body.AccessCode = state.accessCode;
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
