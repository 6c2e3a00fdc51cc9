// SPDX-License-Identifier: GPL-3.0-or-later
// Where the page lives and what the link carried: the share token is read from the URL
// fragment (or ?token=) and removed from the address bar at once.

function captureToken() {
  var hash = location.hash ? location.hash.slice(1) : '';
  var query = new URLSearchParams(location.search);
  var t = new URLSearchParams(hash).get('token') || query.get('token');
  if (hash || query.has('token')) {
    query.delete('token');
    var qs = query.toString();
    try { history.replaceState(null, '', location.pathname + (qs ? '?' + qs : '')); } catch (e) { /* ignore */ }
  }
  return t && t.trim() ? t.trim() : null;
}

// A short link ({PublicUrl}/s/#<key>) carries its key alone as the fragment; it is read
// before the fragment is removed, and goes to share/api/open as {"Key"}.
var SHORT_KEY = /\/s\/?$/.test(location.pathname) && /^#[A-Za-z0-9_-]{22}$/.test(location.hash)
  ? location.hash.slice(1) : null;

export var linkToken = captureToken();
export var linkKey = SHORT_KEY;

// URL root of the Orthanc server ("/" or a reverse-proxy prefix such as "/pacs/").
export var ROOT = (function () {
  var m = /^(.*\/)share(?:\/[^/]*)?$/.exec(location.pathname);
  return m ? m[1] : location.pathname.replace(/[^/]*$/, '') + '../';
})();
export var SHARE_BASE = ROOT + 'share/';

export function $(id) { return document.getElementById(id); }
export var enc = encodeURIComponent;
