// SPDX-License-Identifier: GPL-3.0-or-later
// The one-time code e-mailed to the recipient ("EmailCode" challenge): where it went (the
// address as the server masks it), whether a new one could be sent, and a button that asks
// for another (an open without the code sends one, at most a few per hour).
import { $ } from './link.js';
import { setText } from './i18n.js';

var sent = { address: '', sent: true, retryAfter: 0 };

// What the last challenge-required answer said about the code.
export function noteEmailCode(data) {
  if (typeof data.EmailAddress !== 'string') return;
  sent = { address: data.EmailAddress, sent: data.EmailCodeSent !== false,
    retryAfter: typeof data.EmailCodeRetryAfter === 'number' ? data.EmailCodeRetryAfter : 0 };
}

export function showEmailCodeField(wanted) {
  $('field-emailcode').hidden = !wanted;
  $('email-code').required = wanted;
  if (!wanted) return;
  $('email-code').value = '';
  setText($('email-code-status'), sent.sent ? 'challenge.emailCodeSent' : 'challenge.emailCodeNotSent',
    { address: sent.address, minutes: Math.max(1, Math.ceil(sent.retryAfter / 60)) });
}

// The six digits typed, or null when they are not six digits.
export function readEmailCode() {
  var code = String($('email-code').value || '').replace(/[\s-]+/g, '');
  return /^\d{6}$/.test(code) ? code : null;
}

// resend() asks the server again without the code, which sends a new one.
export function initEmailCode(resend) {
  $('email-code-resend').addEventListener('click', function () { resend(); });
}
