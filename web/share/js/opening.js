// SPDX-License-Identifier: GPL-3.0-or-later
// Opening the share: sends the open request and turns its answer into the next page
// (the study, a challenge, the code form or one of the refusal states).
import { $ } from './link.js';
import { openShare } from './api.js';
import { show } from './states.js';
import { state } from './session.js';
import { showCode, showCodeError, showChallenge } from './forms.js';
import { showStudyPage } from './study.js';

var PREPARING_RETRY_MS = 3000;

export function submitOpen(answers) {
  show('loading');
  return openShare(answers).then(function (res) { handleOpen(res, !!answers); });
}

export function handleOpen(res, withAnswers) {
  var data = res.data || {};
  if (res.ok && typeof data.SessionToken === 'string' && Array.isArray(data.Studies)) {
    state.session = data.SessionToken;
    state.share = {
      expiration: data.ExpirationDate || '',
      permissions: Array.isArray(data.Permissions) ? data.Permissions : [],
      studies: data.Studies,
      viewers: (data.Viewers && typeof data.Viewers === 'object') ? data.Viewers : {}
    };
    $('password').value = '';
    $('birthdate').value = '';
    showStudyPage();
    return;
  }
  var code = typeof data.Error === 'string' ? data.Error : '';
  if (Array.isArray(data.Challenges) && data.Challenges.length) state.challenges = data.Challenges.slice();
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
    case 'rate-limited':
      state.retryTarget = retry;
      return show(code);
    default:
      state.retryTarget = retry;
      return show(res.status === 429 ? 'rate-limited' : 'error');
  }
}

export function initRetryButtons() {
  document.querySelectorAll('.js-retry').forEach(function (b) {
    b.addEventListener('click', function () {
      if (state.retryTarget === 'challenge' && state.challenges.length) return showChallenge(null);
      if (state.retryTarget === 'code' || (!state.shareToken && !state.accessCode)) return showCode();
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
