// SPDX-License-Identifier: GPL-3.0-or-later
// StudyShare — translations of the staff pages (sign-in, shares page): picks the
// language (a saved choice, else the browser's: en, fr, de, es), loads
// i18n/{lang}.json with English as fallback, and renders every element marked
// data-i18n (text), data-i18n-placeholder, data-i18n-aria-label or data-i18n-title.
// The Share dialog in Orthanc Explorer reads the same files.
//
// window.StudyShareStaffI18n: { ready (Promise), lang(), t(key, args), apply(root), setLang(lang) }
(function () {
  'use strict';
  var LANGS = ['en', 'fr', 'de', 'es'];
  var KEY = 'studyshare.staff.lang';
  var lang = 'en';
  var dict = {};
  var fallback = {};
  var listeners = [];

  function pick() {
    try {
      var saved = localStorage.getItem(KEY);
      if (LANGS.indexOf(saved) >= 0) { return saved; }
    } catch (e) { /* storage disabled */ }
    var list = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || 'en'];
    for (var i = 0; i < list.length; i++) {
      var base = String(list[i] || '').toLowerCase().split(/[-_]/)[0];
      if (LANGS.indexOf(base) >= 0) { return base; }
    }
    return 'en';
  }

  function load(l) {
    return fetch('i18n/' + l + '.json', { credentials: 'omit' })
      .then(function (r) { return r.ok ? r.json() : {}; })
      .catch(function () { return {}; });
  }

  function t(key, args) {
    var s = Object.prototype.hasOwnProperty.call(dict, key) ? dict[key]
      : Object.prototype.hasOwnProperty.call(fallback, key) ? fallback[key] : key;
    return String(s).replace(/\{(\w+)\}/g, function (m, k) {
      return args && args[k] !== undefined && args[k] !== null ? String(args[k]) : m;
    });
  }

  function apply(root) {
    root = root || document;
    root.querySelectorAll('[data-i18n]').forEach(function (el) { el.textContent = t(el.getAttribute('data-i18n')); });
    ['placeholder', 'aria-label', 'title', 'alt'].forEach(function (attr) {
      root.querySelectorAll('[data-i18n-' + attr + ']').forEach(function (el) {
        el.setAttribute(attr, t(el.getAttribute('data-i18n-' + attr)));
      });
    });
    if (root === document) {
      document.documentElement.lang = lang;
      var select = document.getElementById('lang-select');
      if (select) { select.value = lang; }
    }
  }

  function setLang(l) {
    lang = LANGS.indexOf(l) >= 0 ? l : 'en';
    return Promise.all([load(lang), Object.keys(fallback).length || lang === 'en' ? null : load('en')])
      .then(function (answers) {
        dict = answers[0] || {};
        if (lang === 'en') { fallback = dict; } else if (answers[1]) { fallback = answers[1]; }
        apply(document);
        listeners.forEach(function (fn) { fn(lang); });
      });
  }

  var api = {
    lang: function () { return lang; },
    t: t,
    apply: apply,
    setLang: setLang,
    onChange: function (fn) { listeners.push(fn); }
  };
  window.StudyShareStaffI18n = api;

  var select = document.getElementById('lang-select');
  if (select) {
    select.addEventListener('change', function () {
      try { localStorage.setItem(KEY, select.value); } catch (e) { /* ignore */ }
      setLang(select.value);
    });
  }
  api.ready = setLang(pick());
}());
