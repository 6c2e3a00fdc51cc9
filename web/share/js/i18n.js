// SPDX-License-Identifier: GPL-3.0-or-later
// Translations: picks the language, loads i18n/{lang}.json (English as fallback) and
// renders every element marked with data-i18n, data-date or data-datetime.
import { $, SHARE_BASE } from './link.js';

var LANGS = ['en', 'fr', 'de', 'es'];
var LANG_KEY = 'studyshare.lang';
var lang = 'en';
var dict = {};
var fallback = {};
var afterApply = [];

export function currentLang() { return lang; }

export function pickLang() {
  try {
    var saved = localStorage.getItem(LANG_KEY);
    if (LANGS.indexOf(saved) >= 0) return saved;
  } catch (e) { /* storage may be disabled */ }
  var list = (navigator.languages && navigator.languages.length) ? navigator.languages : [navigator.language || 'en'];
  for (var i = 0; i < list.length; i++) {
    var base = String(list[i] || '').toLowerCase().split(/[-_]/)[0];
    if (LANGS.indexOf(base) >= 0) return base;
  }
  return 'en';
}

export function saveLang(l) {
  try { localStorage.setItem(LANG_KEY, l); } catch (err) { /* ignore */ }
}

function loadDict(l) {
  return fetch(SHARE_BASE + 'i18n/' + l + '.json', { credentials: 'omit' })
    .then(function (r) { return r.ok ? r.json() : {}; })
    .catch(function () { return {}; });
}

export function t(key, args) {
  var s = Object.prototype.hasOwnProperty.call(dict, key) ? dict[key]
    : Object.prototype.hasOwnProperty.call(fallback, key) ? fallback[key] : null;
  if (s === null) return null;
  return String(s).replace(/\{(\w+)\}/g, function (m, k) {
    return args && args[k] !== undefined ? String(args[k]) : m;
  });
}
export function tt(key, args) { var s = t(key, args); return s === null ? '' : s; }

function pluralKey(base, n) {
  var rule = 'other';
  try { rule = new Intl.PluralRules(lang).select(n); } catch (e) { /* old browser */ }
  return base + (rule === 'one' ? '.one' : '.other');
}

// Mark an element as translatable so a language switch re-renders it.
export function setText(el, key, args) {
  el.setAttribute('data-i18n', key);
  if (args) el.setAttribute('data-i18n-args', JSON.stringify(args)); else el.removeAttribute('data-i18n-args');
  var k = (args && typeof args.count === 'number' && el.hasAttribute('data-i18n-plural')) ? pluralKey(key, args.count) : key;
  var s = t(k, args);
  if (s !== null) el.textContent = s;
}

// Called after the whole document was translated (the viewer re-labels its controls).
export function onLanguageApplied(fn) { afterApply.push(fn); }

export function applyI18n(root) {
  root = root || document;
  root.querySelectorAll('[data-i18n]').forEach(function (el) {
    var args = null;
    try { args = el.hasAttribute('data-i18n-args') ? JSON.parse(el.getAttribute('data-i18n-args')) : null; } catch (e) { args = null; }
    var key = el.getAttribute('data-i18n');
    if (args && typeof args.count === 'number' && el.hasAttribute('data-i18n-plural')) key = pluralKey(key, args.count);
    var s = t(key, args);
    if (s !== null) el.textContent = s;
  });
  root.querySelectorAll('[data-i18n-aria-label]').forEach(function (el) {
    var s = t(el.getAttribute('data-i18n-aria-label'));
    if (s !== null) el.setAttribute('aria-label', s);
  });
  root.querySelectorAll('[data-date]').forEach(function (el) {
    el.textContent = formatDicomDate(el.getAttribute('data-date'));
  });
  root.querySelectorAll('[data-datetime]').forEach(function (el) {
    el.textContent = formatIso(el.getAttribute('data-datetime'));
  });
  if (root === document) {
    document.documentElement.lang = lang;
    document.title = tt('app.title') || 'StudyShare';
    afterApply.forEach(function (fn) { fn(); });
  }
}

export function setLang(l) {
  lang = LANGS.indexOf(l) >= 0 ? l : 'en';
  $('lang-select').value = lang;
  var jobs = [loadDict(lang)];
  if (lang !== 'en' && !Object.keys(fallback).length) jobs.push(loadDict('en'));
  return Promise.all(jobs).then(function (res) {
    dict = res[0] || {};
    if (lang === 'en') fallback = dict; else if (res[1]) fallback = res[1];
    applyI18n(document);
  });
}

export function formatDicomDate(s) {
  var m = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(String(s || '').trim());
  if (!m) return s ? String(s) : tt('value.unknown');
  var d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  if (isNaN(d.getTime()) || d.getUTCDate() !== +m[3]) return String(s);
  try {
    return new Intl.DateTimeFormat(lang, { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' }).format(d);
  } catch (e) { return m[1] + '-' + m[2] + '-' + m[3]; }
}

export function formatIso(s) {
  var d = new Date(s);
  if (!s || isNaN(d.getTime())) return tt('value.unknown');
  try {
    return new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeStyle: 'short' }).format(d);
  } catch (e) { return d.toLocaleString(); }
}

export function formatName(pn) {
  var group = String(pn || '').split('=').filter(function (g) { return g.trim(); })[0] || '';
  return group.split('^').map(function (p) { return p.trim(); }).filter(Boolean).join(' ');
}
