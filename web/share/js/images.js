// SPDX-License-Identifier: GPL-3.0-or-later
// Images as blob: URLs fetched with the session: a bounded LRU cache of rendered images,
// thumbnails, SOP Instance UIDs, and a small limiter for background loads.
import { $, ROOT, enc } from './link.js';
import { authFetch, onSessionEnd } from './session.js';

var queue = [];
var running = 0;
var MAX_PARALLEL = 4;
export function limited(fn) {
  return new Promise(function (resolve, reject) {
    queue.push({ fn: fn, resolve: resolve, reject: reject });
    pump();
  });
}
function pump() {
  while (running < MAX_PARALLEL && queue.length) {
    var job = queue.shift();
    running++;
    Promise.resolve().then(job.fn).then(job.resolve, job.reject).then(function () { running--; pump(); });
  }
}

var imgCache = new Map();   // "instanceId|preset" -> Promise<objectURL> (LRU order)
var CACHE_MAX = 80;
var thumbUrls = [];         // object URLs of thumbnails (kept for the session)
var sopCache = new Map();   // instanceId -> Promise<SOPInstanceUID>
var displayedUrl = null;

export function setDisplayedUrl(u) { displayedUrl = u; }
export function keepThumbnail(u) { thumbUrls.push(u); }

function clearImageCaches() {
  imgCache.forEach(function (p) { p.then(function (u) { URL.revokeObjectURL(u); }, function () {}); });
  imgCache.clear();
  thumbUrls.forEach(function (u) { URL.revokeObjectURL(u); });
  thumbUrls = [];
  sopCache.clear();
  queue = [];
  var img = $('viewer-image');
  img.removeAttribute('src');
  img.hidden = true;
  displayedUrl = null;
}
onSessionEnd(clearImageCaches);

export function blobUrl(url) {
  return authFetch(url).then(function (r) { return r.blob(); }).then(function (b) { return URL.createObjectURL(b); });
}

function sopInstanceUid(id) {
  if (!sopCache.has(id)) {
    var p = authFetch(ROOT + 'instances/' + enc(id), { Accept: 'application/json' })
      .then(function (r) { return r.json(); })
      .then(function (j) {
        var uid = j && j.MainDicomTags && j.MainDicomTags.SOPInstanceUID;
        if (!uid) throw new Error('no SOPInstanceUID');
        return String(uid);
      });
    sopCache.set(id, p);
    p.catch(function () { if (sopCache.get(id) === p) sopCache.delete(id); });
  }
  return sopCache.get(id);
}

export var PRESETS = {
  'default': null,
  soft: { c: 40, w: 400 },
  lung: { c: -600, w: 1500 },
  bone: { c: 300, w: 1500 },
  brain: { c: 40, w: 80 }
};

function imageUrlFor(study, series, id, preset) {
  var p = PRESETS[preset];
  if (!p) return Promise.resolve(ROOT + 'instances/' + enc(id) + '/preview');
  return sopInstanceUid(id).then(function (sop) {
    return ROOT + 'dicom-web/studies/' + enc(study.DicomUid) + '/series/' + enc(series.DicomUid) +
      '/instances/' + enc(sop) + '/rendered?window=' + p.c + ',' + p.w + ',linear';
  });
}

export function getImage(study, series, id, preset) {
  var key = id + '|' + preset;
  if (imgCache.has(key)) {
    var hit = imgCache.get(key);
    imgCache.delete(key);
    imgCache.set(key, hit);
    return hit;
  }
  var p = imageUrlFor(study, series, id, preset).then(blobUrl);
  imgCache.set(key, p);
  p.catch(function () { if (imgCache.get(key) === p) imgCache.delete(key); });
  while (imgCache.size > CACHE_MAX) {
    var oldest = imgCache.keys().next().value;
    var op = imgCache.get(oldest);
    imgCache.delete(oldest);
    op.then(function (u) { if (u !== displayedUrl) URL.revokeObjectURL(u); }, function () {});
  }
  return p;
}
