// SPDX-License-Identifier: GPL-3.0-or-later
// The two forms before the study: the access-code entry and the challenge answers.
import { $ } from './link.js';
import { setText } from './i18n.js';
import { show, announce } from './states.js';
import { state } from './session.js';
import { showEmailCodeField, readEmailCode } from './emailcode.js';

var CODE_RE = /^[ABCDEFGHJKMNPQRSTVWXYZ23456789]{15}$/;
function normalizeCode(s) { return String(s || '').replace(/[\s\-\u2010-\u2015_.]+/g, '').toUpperCase(); }
function groupCode(n) { return (n.match(/.{1,5}/g) || []).join('-'); }

export function showCode() {
  $('code-error').hidden = true;
  show('code', 'code', $('access-code'));
}

export function showCodeError(key) {
  var err = $('code-error');
  setText(err, key);
  err.hidden = false;
  show('code', 'code-invalid', $('access-code'));
}

// Groups what is typed in fives as the recipient types (never fighting the cursor).
function groupAsTyped(input) {
  input.addEventListener('input', function () {
    var raw = input.value;
    if (input.selectionStart !== raw.length) return; // do not fight the cursor
    var n = normalizeCode(raw);
    if (n.length <= 15 && /^[A-Z0-9]*$/.test(n)) {
      var f = groupCode(n);
      if (f !== raw) input.value = f;
    }
  });
}

// submit(answers) sends the open request.
export function initCodeForm(submit) {
  var input = $('access-code');
  groupAsTyped(input);
  $('code-form').addEventListener('submit', function (e) {
    e.preventDefault();
    var n = normalizeCode(input.value);
    if (!n) { var err = $('code-error'); setText(err, 'code.empty'); err.hidden = false; input.focus(); return; }
    if (!CODE_RE.test(n)) return showCodeError('code.format');
    state.accessCode = n;
    state.shareToken = null;
    state.challenges = [];
    submit(null);
  });
}

export function showChallenge(errorKey, keepState) {
  var wantCode = state.challenges.indexOf('AccessCode') >= 0;
  var wantPw = state.challenges.indexOf('Password') >= 0;
  var wantBd = state.challenges.indexOf('BirthDate') >= 0;
  var wantEmail = state.challenges.indexOf('EmailCode') >= 0;
  if (!wantCode && !wantPw && !wantBd && !wantEmail) { state.retryTarget = state.shareToken ? 'open' : 'code'; return show('error'); }
  $('field-accesscode').hidden = !wantCode;
  $('challenge-code').required = wantCode;
  $('field-password').hidden = !wantPw;
  $('field-birthdate').hidden = !wantBd;
  $('password').required = wantPw;
  $('birthdate').required = wantBd;
  $('password').value = '';
  showEmailCodeField(wantEmail);
  var err = $('challenge-error');
  if (errorKey) { setText(err, errorKey); err.hidden = false; } else err.hidden = true;
  var first = wantCode ? $('challenge-code') : wantPw ? $('password') : wantBd ? $('birthdate') : $('email-code');
  show('challenge', errorKey && !keepState ? 'challenge-failed' : 'challenge', first);
  if (errorKey) announce(err.textContent);
}

function normalizeBirthDate(s) {
  s = String(s || '').trim();
  var m = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(s);
  return m ? m[1] + '-' + m[2] + '-' + m[3] : s;
}

export function initChallengeForm(submit) {
  groupAsTyped($('challenge-code'));
  $('challenge-form').addEventListener('submit', function (e) {
    e.preventDefault();
    var answers = {};
    var missing = null;
    if (!$('field-accesscode').hidden) {
      var code = normalizeCode($('challenge-code').value);
      if (!CODE_RE.test(code)) {
        var codeErr = $('challenge-error');
        setText(codeErr, code ? 'code.format' : 'code.empty');
        codeErr.hidden = false;
        $('challenge-code').focus();
        return;
      }
      answers.AccessCode = code;
    }
    if (!$('field-password').hidden) {
      if (!$('password').value) missing = missing || $('password');
      answers.Password = $('password').value;
    }
    if (!$('field-birthdate').hidden) {
      var bd = normalizeBirthDate($('birthdate').value);
      if (!bd) missing = missing || $('birthdate');
      answers.BirthDate = bd;
    }
    if (!$('field-emailcode').hidden) {
      var emailed = readEmailCode();
      if (!emailed) {
        var mailErr = $('challenge-error');
        setText(mailErr, 'challenge.emailCodeFormat');
        mailErr.hidden = false;
        $('email-code').focus();
        return;
      }
      answers.EmailCode = emailed;
    }
    if (missing) {
      var err = $('challenge-error');
      setText(err, 'challenge.missing');
      err.hidden = false;
      missing.focus();
      return;
    }
    submit(answers);
  });
}
