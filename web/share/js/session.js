// SPDX-License-Identifier: GPL-3.0-or-later
// What the recipient holds: the link's token or typed code, the answers asked for, and
// once opened the session token and the share it grants. Authenticated requests carry
// the session as "Authorization: Bearer". The session (never the share token or the
// code) is also kept in this tab's sessionStorage, never in localStorage: a reload or
// a reopen of the link in the same tab presents it instead of spending another use,
// and it is gone when the tab closes.
import { linkToken, linkKey } from './link.js';
import { getState, show } from './states.js';

var SESSION_KEY = 'studyshare.session';

// The session this tab kept, while its end is still ahead; null otherwise.
function keptSession() {
  try {
    var kept = JSON.parse(sessionStorage.getItem(SESSION_KEY) || 'null');
    if (kept && typeof kept.token === 'string' && new Date(kept.end).getTime() > Date.now()) return kept.token;
    sessionStorage.removeItem(SESSION_KEY);
  } catch (e) { /* storage disabled or garbled: nothing kept */ }
  return null;
}

export function keepSession(token, end) {
  try { sessionStorage.setItem(SESSION_KEY, JSON.stringify({ token: token, end: end })); } catch (e) { /* ignore */ }
}

export function forgetSession() {
  state.keptSession = null;
  try { sessionStorage.removeItem(SESSION_KEY); } catch (e) { /* ignore */ }
}

export var state = {
  shareToken: linkToken || linkKey, // from the link (memory only): its token, or a short link's key
  shortLink: !linkToken && !!linkKey, // shareToken is a short link's key (sent as "Key")
  accessCode: null,      // normalized code typed by the recipient (memory only)
  challenges: [],        // challenges requested by the server
  keptSession: keptSession(), // this tab's session from before a reload, offered to the server once
  session: null,         // session token
  share: null,           // the 200 answer without the session token
  retryTarget: 'open',   // what "Try again" does: 'open' | 'code' | 'challenge'
  studyIndex: 0          // the study shown (multi-study shares)
};

export function HttpError(status) { this.status = status; }

export function authFetch(url, extraHeaders) {
  if (!state.session) return Promise.reject(new HttpError(401));
  var headers = { 'Authorization': 'Bearer ' + state.session };
  if (extraHeaders) Object.keys(extraHeaders).forEach(function (k) { headers[k] = extraHeaders[k]; });
  return fetch(url, { headers: headers, credentials: 'omit', referrerPolicy: 'no-referrer' })
    .then(function (r) { if (!r.ok) throw new HttpError(r.status); return r; });
}

export function isSessionEnd(err) {
  if (!err || !(err instanceof HttpError)) return false;
  if (err.status === 401) return true;
  if (err.status === 403 && state.share && state.share.expiration) {
    var exp = new Date(state.share.expiration).getTime();
    return !isNaN(exp) && Date.now() >= exp;
  }
  return false;
}

var endListeners = [];
// Called when the session ends (the viewer forgets its series, the caches are emptied).
export function onSessionEnd(fn) { endListeners.push(fn); }

export function endSession() {
  if (getState() === 'session-expired') return;
  state.session = null;
  state.share = null;
  forgetSession();
  endListeners.forEach(function (fn) { fn(); });
  show('session-expired');
}

export function hasPermission(p) { return state.share && state.share.permissions.indexOf(p) >= 0; }

export function currentStudy() { return state.share && state.share.studies[state.studyIndex]; }
