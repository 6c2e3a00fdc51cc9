// SPDX-License-Identifier: GPL-3.0-or-later
// The built-in viewer: one series at a time, paged by buttons, wheel, swipe and keys,
// with CT window presets; the neighbouring images are fetched ahead.
import { $ } from './link.js';
import { setText, tt, onLanguageApplied } from './i18n.js';
import { getState } from './states.js';
import { state, currentStudy, isSessionEnd, endSession, onSessionEnd } from './session.js';
import { limited, getImage, setDisplayedUrl, PRESETS } from './images.js';

var viewer = { series: null, index: 0, preset: 'default', gen: 0 };
var spinnerTimer = null;

onLanguageApplied(function () { if (viewer.series) updateViewerLabels(); });
onSessionEnd(function () { viewer.series = null; viewer.gen++; });

export function seriesTitleArgs(s) {
  return { modality: s.Modality || '', number: s.SeriesNumber || '' };
}

export function closeViewer() {
  viewer.series = null;
  $('viewer').hidden = true;
}

export function openSeries(s, scroll) {
  var study = currentStudy();
  var isCT = String(s.Modality || '').toUpperCase() === 'CT';
  if (!isCT) viewer.preset = 'default';
  viewer.series = s;
  viewer.index = 0;
  $('viewer').hidden = false;
  $('series-list').querySelectorAll('.series-item').forEach(function (li) {
    var cur = li.getAttribute('data-series-id') === s.OrthancId;
    li.classList.toggle('current', cur);
    var btn = li.querySelector('.series-open');
    if (cur) btn.setAttribute('aria-current', 'true'); else btn.removeAttribute('aria-current');
  });
  renderPresets(isCT);
  var title = $('viewer-title');
  if (s.SeriesDescription) { title.removeAttribute('data-i18n'); title.textContent = s.SeriesDescription; }
  else setText(title, 'series.untitled', seriesTitleArgs(s));
  showImage(study);
  if (scroll) {
    var reduce = window.matchMedia && window.matchMedia('(prefers-reduced-motion: reduce)').matches;
    $('viewer').scrollIntoView({ behavior: reduce ? 'auto' : 'smooth', block: 'start' });
    try { $('viewer-stage').focus({ preventScroll: true }); } catch (e) { /* ignore */ }
  }
}

function renderPresets(isCT) {
  var box = $('viewer-presets');
  var list = $('viewer-presets-list');
  list.textContent = '';
  box.hidden = !isCT;
  if (!isCT) return;
  Object.keys(PRESETS).forEach(function (k) {
    var b = document.createElement('button');
    b.type = 'button';
    b.className = 'btn small';
    b.setAttribute('data-preset', k);
    b.setAttribute('aria-pressed', k === viewer.preset ? 'true' : 'false');
    setText(b, 'preset.' + k);
    b.addEventListener('click', function () {
      if (viewer.preset === k) return;
      viewer.preset = k;
      list.querySelectorAll('button').forEach(function (x) {
        x.setAttribute('aria-pressed', x.getAttribute('data-preset') === k ? 'true' : 'false');
      });
      showImage(currentStudy());
    });
    list.appendChild(b);
  });
}

function updateViewerLabels() {
  var s = viewer.series;
  if (!s) return;
  var n = s.Instances.length;
  var i = viewer.index + 1;
  $('viewer-counter').textContent = i + ' / ' + n;
  setText($('viewer-position'), 'viewer.position', { index: i, total: n });
  $('viewer-image').alt = tt('viewer.imageAlt', { index: i, total: n });
  $('viewer-first').disabled = $('viewer-prev').disabled = (viewer.index === 0);
  $('viewer-last').disabled = $('viewer-next').disabled = (viewer.index >= n - 1);
}

function showImage(study) {
  var s = viewer.series;
  if (!s || !study) return;
  var id = s.Instances[viewer.index];
  var gen = ++viewer.gen;
  var img = $('viewer-image');
  updateViewerLabels();
  clearTimeout(spinnerTimer);
  spinnerTimer = setTimeout(function () { if (gen === viewer.gen) $('viewer-spinner').hidden = false; }, 150);
  getImage(study, s, id, viewer.preset).then(function (url) {
    if (gen !== viewer.gen) return;
    setDisplayedUrl(url);
    img.src = url;
    img.setAttribute('data-instance-id', id);
    img.hidden = false;
    $('viewer-error').hidden = true;
  }, function (err) {
    if (gen !== viewer.gen) return;
    if (isSessionEnd(err)) return endSession();
    img.hidden = true;
    img.removeAttribute('data-instance-id');
    $('viewer-error').hidden = false;
  }).then(function () {
    if (gen !== viewer.gen) return;
    clearTimeout(spinnerTimer);
    $('viewer-spinner').hidden = true;
  });
  prefetch(study, s, gen);
}

function prefetch(study, s, gen) {
  var order = [1, 2, 3, -1, 4, 5];
  order.forEach(function (d) {
    var j = viewer.index + d;
    if (j < 0 || j >= s.Instances.length) return;
    var preset = viewer.preset;
    limited(function () {
      if (gen !== viewer.gen || viewer.series !== s || !state.session) return null; // user moved on
      return getImage(study, s, s.Instances[j], preset);
    }).catch(function () { /* shown when displayed */ });
  });
}

function goTo(i) {
  var s = viewer.series;
  if (!s) return;
  var j = Math.max(0, Math.min(s.Instances.length - 1, i));
  if (j === viewer.index) return;
  viewer.index = j;
  showImage(currentStudy());
}
function step(d) { goTo(viewer.index + d); }

export function initViewer() {
  $('viewer-first').addEventListener('click', function () { goTo(0); });
  $('viewer-prev').addEventListener('click', function () { step(-1); });
  $('viewer-next').addEventListener('click', function () { step(1); });
  $('viewer-last').addEventListener('click', function () { goTo(Infinity); });

  var stage = $('viewer-stage');
  var acc = 0;
  var accTimer = null;
  stage.addEventListener('wheel', function (e) {
    if (!viewer.series || e.ctrlKey) return;
    e.preventDefault();
    var dy = e.deltaMode === 1 ? e.deltaY * 33 : e.deltaMode === 2 ? e.deltaY * 400 : e.deltaY;
    acc += dy;
    clearTimeout(accTimer);
    accTimer = setTimeout(function () { acc = 0; }, 250);
    if (Math.abs(acc) >= 50) { step(acc > 0 ? 1 : -1); acc = 0; }
  }, { passive: false });

  // Touch: horizontal swipe pages (left = next); a long drag pages continuously.
  var tx = null, ty = null;
  var SWIPE = 40;
  stage.addEventListener('touchstart', function (e) {
    if (e.touches.length !== 1) { tx = null; return; }
    tx = e.touches[0].clientX; ty = e.touches[0].clientY;
  }, { passive: true });
  stage.addEventListener('touchmove', function (e) {
    if (tx === null || e.touches.length !== 1) return;
    var dx = e.touches[0].clientX - tx;
    var dy = e.touches[0].clientY - ty;
    if (Math.abs(dx) >= SWIPE && Math.abs(dx) > Math.abs(dy) * 1.2) {
      step(dx < 0 ? 1 : -1);
      tx = e.touches[0].clientX; ty = e.touches[0].clientY;
    }
  }, { passive: true });
  stage.addEventListener('touchend', function () { tx = null; }, { passive: true });
  stage.addEventListener('touchcancel', function () { tx = null; }, { passive: true });

  document.addEventListener('keydown', function (e) {
    if (getState() !== 'study' || !viewer.series || e.altKey || e.ctrlKey || e.metaKey) return;
    var tg = e.target;
    var tag = tg && tg.tagName;
    if (tag === 'INPUT' || tag === 'SELECT' || tag === 'TEXTAREA' || (tg && tg.isContentEditable)) return;
    var n = viewer.series.Instances.length;
    switch (e.key) {
      case 'ArrowRight': case 'ArrowDown': case 'PageDown': step(1); break;
      case 'ArrowLeft': case 'ArrowUp': case 'PageUp': step(-1); break;
      case 'Home': goTo(0); break;
      case 'End': goTo(n - 1); break;
      default: return;
    }
    e.preventDefault();
  });
}
