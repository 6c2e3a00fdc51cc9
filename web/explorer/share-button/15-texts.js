// SPDX-License-Identifier: GPL-3.0-or-later
// The dialog's words in the page's language (the staff pages' dictionaries, English as
// fallback) and what the server lets this user do (GET /studyshare/api/me).
var texts = { lang: 'en', dict: {}, fallback: {} };
var settings = null;  // the answer of /studyshare/api/me, once read
// Words shown before the dictionaries arrive (the buttons appear with the page).
var BUILT_IN_WORDS = { 'dialog.buttonStudy': 'Share…', 'dialog.buttonPatient': 'Share studies…',
  'dialog.openOhif': 'Open in OHIF', 'inbox.button': 'Ask for images…' };

function pickLanguage() {
  try {
    var saved = localStorage.getItem('studyshare.staff.lang');
    if (LANGS.indexOf(saved) >= 0) { return saved; }
  } catch (e) { /* storage disabled */ }
  var list = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || 'en'];
  for (var i = 0; i < list.length; i++) {
    var base = String(list[i] || '').toLowerCase().split(/[-_]/)[0];
    if (LANGS.indexOf(base) >= 0) { return base; }
  }
  return 'en';
}

function loadTexts() {
  var lang = pickLanguage();
  var read = function (l) {
    return fetch(TEXTS + l + '.json', { credentials: 'same-origin' })
      .then(function (r) { return r.ok ? r.json() : {}; }).catch(function () { return {}; });
  };
  return Promise.all([read(lang), lang === 'en' ? null : read('en')]).then(function (answers) {
    texts = { lang: lang, dict: answers[0] || {}, fallback: answers[1] || answers[0] || {} };
  });
}

function loadSettings() {
  return fetch(ME, { credentials: 'same-origin', headers: { Accept: 'application/json' } }).then(function (r) {
    return r.ok ? r.json() : null;
  }).catch(function () { return null; }).then(function (me) { settings = me; });
}

/** The text of `key` with {placeholders} filled; the key itself when no dictionary has it. */
function T(key, args) {
  var s = Object.prototype.hasOwnProperty.call(texts.dict, key) ? texts.dict[key]
    : Object.prototype.hasOwnProperty.call(texts.fallback, key) ? texts.fallback[key] : BUILT_IN_WORDS[key] || key;
  return String(s).replace(/\{(\w+)\}/g, function (m, k) {
    return args && args[k] !== undefined && args[k] !== null ? String(args[k]) : m;
  });
}

function daysText(seconds) {
  var days = Math.round(seconds / DAY * 10) / 10;
  return T(days === 1 ? 'dialog.days.one' : 'dialog.days.other', { count: days.toLocaleString(texts.lang) });
}
