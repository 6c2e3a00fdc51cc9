// SPDX-License-Identifier: GPL-3.0-or-later
// The study's actions: the download of the archive and the buttons of external viewers.
import { $, ROOT, enc } from './link.js';
import { setText } from './i18n.js';
import { state, authFetch, isSessionEnd, endSession, hasPermission } from './session.js';

export function renderActions(study) {
  var box = $('study-actions');
  box.textContent = '';
  if (hasPermission('Download')) {
    var b = document.createElement('button');
    b.type = 'button';
    b.id = 'download-button';
    b.className = 'btn primary';
    setText(b, 'download.button');
    b.addEventListener('click', function () { downloadStudy(study, b); });
    box.appendChild(b);
  }
  viewerButtons('study').forEach(function (v) {
    box.appendChild(viewerButton(v, { study: study }, 'btn'));
  });
}

function downloadStudy(study, btn) {
  var status = $('download-status');
  btn.disabled = true;
  btn.setAttribute('aria-busy', 'true');
  setText(status, 'download.preparing');
  var name = 'study-' + (String(study.StudyDate || '').replace(/[^0-9]/g, '') || 'images') + '.zip';
  authFetch(ROOT + 'studies/' + enc(study.OrthancId) + '/archive').then(function (r) {
    var total = parseInt(r.headers.get('Content-Length') || '0', 10) || 0;
    if (!r.body || !r.body.getReader) return r.blob();
    var reader = r.body.getReader();
    var chunks = [];
    var got = 0;
    var lastUpdate = 0;
    function step() {
      return reader.read().then(function (res) {
        if (res.done) return new Blob(chunks, { type: 'application/zip' });
        chunks.push(res.value);
        got += res.value.length;
        var now = Date.now();
        if (now - lastUpdate > 400) {
          lastUpdate = now;
          var mb = (got / 1048576).toFixed(1);
          if (total) setText(status, 'download.progressPercent', { mb: mb, percent: Math.min(100, Math.round(got * 100 / total)) });
          else setText(status, 'download.progress', { mb: mb });
        }
        return step();
      });
    }
    return step();
  }).then(function (blob) {
    var url = URL.createObjectURL(blob);
    var a = document.createElement('a');
    a.href = url;
    a.download = name;
    a.rel = 'noopener';
    a.hidden = true;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
    setText(status, 'download.done', { name: name });
  }).catch(function (err) {
    if (isSessionEnd(err)) return endSession();
    setText(status, 'download.failed');
  }).then(function () {
    btn.disabled = false;
    btn.removeAttribute('aria-busy');
  });
}

/*
 * VIEWER HOOK — external viewers. Keys match the "Viewers" object of the open answer;
 * a key whose value is true (or a non-empty string: an alternative base URL ending
 * with "/", e.g. another host for MedDream) gets a button. `level` says whether the
 * button is per series or per study; `needs` an optional permission; `url` builds the
 * path relative to the Orthanc root (or to the string base). The session token is
 * added only when the button is clicked, never written to the DOM.
 */
var VIEWER_URLS = {
  webviewer: {
    level: 'series', label: 'viewer.open.webviewer', path: 'web-viewer/',
    url: function (c) { return 'app/viewer.html?series=' + enc(c.series.OrthancId) + '&token=' + enc(c.token); }
  },
  stone: {
    level: 'study', label: 'viewer.open.stone', path: 'stone-webviewer/',
    url: function (c) { return 'index.html?study=' + enc(c.study.DicomUid) + '&token=' + enc(c.token); }
  },
  ohif: {
    level: 'study', label: 'viewer.open.ohif', path: 'ohif/',
    url: function (c) { return 'viewer?StudyInstanceUIDs=' + enc(c.study.DicomUid) + '&token=' + enc(c.token); }
  },
  osimis: {
    level: 'study', label: 'viewer.open.osimis', path: 'osimis-viewer/',
    url: function (c) { return 'app/index.html?study=' + enc(c.study.OrthancId) + '&token=' + enc(c.token); }
  },
  volview: {
    level: 'study', label: 'viewer.open.volview', path: 'volview/', needs: 'Download',
    url: function (c) {
      return 'index.html?names=[archive.zip]&urls=[../studies/' + enc(c.study.OrthancId) + '/archive]&token=' + enc(c.token);
    }
  },
  meddream: {
    level: 'study', label: 'viewer.open.meddream', path: 'meddream/',
    url: function (c) { return '?study=' + enc(c.study.DicomUid) + '&token=' + enc(c.token); }
  }
};

export function viewerButtons(level) {
  if (!state.share) return [];
  return Object.keys(VIEWER_URLS).filter(function (k) {
    var v = VIEWER_URLS[k];
    var on = state.share.viewers[k];
    return v.level === level && (on === true || (typeof on === 'string' && on)) && (!v.needs || hasPermission(v.needs));
  });
}

function viewerUrl(key, ctx) {
  var v = VIEWER_URLS[key];
  var on = state.share.viewers[key];
  var base = (typeof on === 'string' && /^(https?:\/\/|\/)/.test(on)) ? on.replace(/\/?$/, '/') : ROOT + v.path;
  return base + v.url({ study: ctx.study, series: ctx.series, token: state.session });
}

export function viewerButton(key, ctx, cls) {
  var b = document.createElement('button');
  b.type = 'button';
  b.className = cls;
  b.setAttribute('data-viewer', key);
  if (ctx.series) b.setAttribute('data-series-id', ctx.series.OrthancId);
  setText(b, VIEWER_URLS[key].label);
  b.addEventListener('click', function () {
    if (!state.session) return endSession();
    window.open(viewerUrl(key, ctx), '_blank', 'noopener,noreferrer');
  });
  return b;
}
