// SPDX-License-Identifier: GPL-3.0-or-later
// Opening the share: sends the open request and turns its answer into the next page
// (the study, an inbox's upload page, a challenge, the code form or one of the refusal states).
import { $ } from './link.js';
import { openShare } from './api.js';
import { show } from './states.js';
import { state, keepSession, forgetSession } from './session.js';
import { setText, formatIso, onLanguageApplied } from './i18n.js';
import { showCode, showCodeError, showChallenge } from './forms.js';
import { showStudyPage } from './study.js';
import { showInboxPage } from './inbox-page.js';
import { noteEmailCode } from './emailcode.js';

var PREPARING_RETRY_MS = 3000;

export function submitOpen(answers) {
  show('loading');
  return openShare(answers).then(function (res) { handleOpen(res, !!answers); });
}

export function handleOpen(res, withAnswers) {
  var data = res.data || {};
  var offered = !!state.keptSession;
  if (res.ok && typeof data.SessionToken === 'string' && Array.isArray(data.Studies)) {
    state.session = data.SessionToken;
    state.keptSession = null;
    keepSession(data.SessionToken, data.ExpirationDate || '');
    state.share = {
      expiration: data.ExpirationDate || '',
      linkExpiration: typeof data.ShareExpirationDate === 'string' ? data.ShareExpirationDate : null,
      permissions: Array.isArray(data.Permissions) ? data.Permissions : [],
      studies: data.Studies,
      label: typeof data.Label === 'string' ? data.Label : null,
      truncated: data.StudiesTruncated === true,
      viewers: (data.Viewers && typeof data.Viewers === 'object') ? data.Viewers : {}
    };
    $('password').value = '';
    $('birthdate').value = '';
    if (data.Kind === 'Inbox') return showInboxPage(data);
    showStudyPage();
    return;
  }
  var code = typeof data.Error === 'string' ? data.Error : '';
  // The server did not take the kept session back: it has ended, or is another share's.
  if (offered && res.status >= 400 && res.status < 500) {
    forgetSession();
    if (!state.shareToken && !state.accessCode) {
      return show(code === 'revoked' || code === 'expired' ? code : 'session-expired');
    }
  }
  if (Array.isArray(data.Challenges) && data.Challenges.length) state.challenges = data.Challenges.slice();
  noteEmailCode(data);
  var retry = withAnswers ? 'challenge' : (state.shareToken ? 'open' : 'code');
  switch (code) {
    case 'challenge-required':
      return showChallenge(null);
    case 'challenge-failed':
      return showChallenge('challenge.failed');
    case 'bad-request':
      if (withAnswers && state.challenges.length) return showChallenge('challenge.badInput', true);
      /* falls through */
    case 'invalid':
      if (!state.shareToken) return showCodeError('code.invalid');
      return show('invalid');
    case 'expired':
    case 'revoked':
    case 'exhausted':
    case 'unavailable':
      return show(code);
    case 'preparing':
      // The anonymized copy is being made: ask again by ourselves until it is ready.
      show('preparing');
      setTimeout(function () { submitOpen(null); }, PREPARING_RETRY_MS);
      return;
    case 'locked':
      showLockedUntil(data);
      state.retryTarget = retry;
      return show(code);
    case 'rate-limited':
      state.retryTarget = retry;
      return show(code);
    default:
      state.retryTarget = retry;
      return show(res.status === 429 ? 'rate-limited' : 'error');
  }
}

// The answer says when the share opens again: say it, as a time and in minutes.
var lockedAnswer = null;
onLanguageApplied(function () { if (lockedAnswer) showLockedUntil(lockedAnswer); });

function showLockedUntil(data) {
  lockedAnswer = data;
  var el = $('locked-until');
  var wait = typeof data.RetryAfter === 'number' ? data.RetryAfter : NaN;
  el.hidden = !(wait > 0) || typeof data.LockedUntil !== 'string';
  if (!el.hidden) setText(el, 'state.locked.until', { time: formatIso(data.LockedUntil), minutes: Math.max(1, Math.ceil(wait / 60)) });
}

export function initRetryButtons() {
  document.querySelectorAll('.js-retry').forEach(function (b) {
    b.addEventListener('click', function () {
      if (state.retryTarget === 'challenge' && state.challenges.length) return showChallenge(null);
      if (state.retryTarget === 'code' || (!state.shareToken && !state.accessCode && !state.keptSession)) return showCode();
      submitOpen(null);
    });
  });
  document.querySelectorAll('.js-enter-code').forEach(function (b) {
    b.addEventListener('click', function () {
      state.shareToken = null;
      state.accessCode = null;
      state.challenges = [];
      $('access-code').value = '';
      showCode();
    });
  });
}
