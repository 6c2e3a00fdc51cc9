// SPDX-License-Identifier: GPL-3.0-or-later
// Staff sign-in: POST /studyshare/api/login sets an HttpOnly session cookie.
// Requests that change anything must then carry X-Requested-With (CSRF rule).
(function () {
  'use strict';
  var api = '../api/';

  function $(id) { return document.getElementById(id); }

  function show(signedIn, user) {
    $('login-form').hidden = signedIn;
    $('signed-in').hidden = !signedIn;
    if (signedIn) { $('signed-in-user').textContent = user.Username + ' (' + user.Role + ')'; }
  }

  function nextTarget() {
    var next = new URLSearchParams(location.search).get('next');
    // Only paths on this server: no scheme, no protocol-relative "//host".
    return next && /^\/[^/\\]/.test(next) ? next : null;
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
        error.textContent = answer.body.Error === 'rate-limited'
          ? 'Too many failed attempts. Wait a minute and try again.' : 'Wrong user name or password.';
        error.hidden = false;
        return;
      }
      var next = nextTarget();
      if (next) { location.assign(next); } else { show(true, answer.body); }
    }).catch(function () {
      error.textContent = 'The server cannot be reached.';
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
