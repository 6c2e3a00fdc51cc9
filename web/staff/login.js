// SPDX-License-Identifier: GPL-3.0-or-later
// Staff sign-in: POST /studyshare/api/login sets an HttpOnly session cookie.
// Requests that change anything must then carry X-Requested-With (CSRF rule).
(function () {
  'use strict';
  var api = '../api/';
  var t = window.StudyShareStaffI18n.t;

  function $(id) { return document.getElementById(id); }

  function show(signedIn, user) {
    $('login-form').hidden = signedIn;
    $('signed-in').hidden = !signedIn;
    if (signedIn) { $('signed-in-user').textContent = t('whoami', { user: user.Username, role: user.Role }); }
  }

  // Only a path on this origin. Browsers drop tabs and line breaks from a URL
  // and read a backslash as '/', so "/%09/host" or "/%5Chost" would become "//host" (another
  // origin): such characters are refused, then the browser's own resolution must
  // keep this origin.
  function nextTarget() {
    var next = new URLSearchParams(location.search).get('next');
    if (!next || next.charAt(0) !== '/' || next.charAt(1) === '/' || /[\u0000-\u0020\u007f\\]/.test(next)) {
      return null;
    }
    var url;
    try { url = new URL(next, location.origin); } catch (e) { return null; }
    return url.origin === location.origin ? url.pathname + url.search + url.hash : null;
  }

  function call(path, body) {
    return fetch(api + path, {
      method: 'POST', credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-Requested-With': 'StudyShare' },
      body: body ? JSON.stringify(body) : '{}'
    });
  }

  $('login-form').addEventListener('submit', function (event) {
    event.preventDefault();
    var error = $('login-error');
    error.hidden = true;
    call('login', { Username: $('username').value, Password: $('password').value }).then(function (r) {
      return r.json().then(function (body) { return { ok: r.ok, body: body }; });
    }).then(function (answer) {
      $('password').value = '';
      if (!answer.ok) {
        error.textContent = answer.body.Error === 'rate-limited' ? t('login.rateLimited') : t('login.wrong');
        error.hidden = false;
        return;
      }
      var next = nextTarget();
      if (next) { location.assign(next); } else { show(true, answer.body); }
    }).catch(function () {
      error.textContent = t('error.unreachable');
      error.hidden = false;
    });
  });

  $('logout').addEventListener('click', function () {
    call('logout').then(function () { show(false); });
  });

  fetch(api + 'me', { credentials: 'same-origin' }).then(function (r) {
    if (r.ok) { return r.json().then(function (user) { show(true, user); }); }
    show(false);
  }).catch(function () { show(false); });
}());
