// SPDX-License-Identifier: GPL-3.0-or-later
// Page states: exactly one <section id="state-…"> is visible and <body data-state> names it.
import { $ } from './link.js';

var STATES = ['loading', 'code', 'challenge', 'invalid', 'expired', 'revoked', 'exhausted',
  'preparing', 'unavailable', 'locked', 'rate-limited', 'session-expired', 'error', 'no-labelled-study', 'study',
  'inbox'];
var currentState = 'loading';

export function getState() { return currentState; }

export function show(state, bodyState, focusEl) {
  currentState = state;
  STATES.forEach(function (s) { $('state-' + s).hidden = (s !== state); });
  document.body.setAttribute('data-state', bodyState || state);
  var section = $('state-' + state);
  var heading = section.querySelector('h1');
  announce(heading ? heading.textContent : '');
  var target = focusEl || heading;
  if (target) {
    if (!target.hasAttribute('tabindex') && target === heading) target.setAttribute('tabindex', '-1');
    try { target.focus({ preventScroll: false }); } catch (e) { /* ignore */ }
  }
}

export function announce(text) {
  var st = $('status');
  st.textContent = '';
  if (text) setTimeout(function () { st.textContent = text; }, 50);
}
