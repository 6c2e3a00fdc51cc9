// SPDX-License-Identifier: GPL-3.0-or-later
// Sends the chosen files to the inbox, a few at a time (POST share/api/inbox/files, one
// file or one ZIP per request, the session as "Authorization: Bearer"), and sorts what
// the server answered: accepted, skipped (with why), failed (the network or the server:
// worth retrying), or the end of the upload (the link is full, closed or expired).
import { SHARE_BASE } from './link.js';
import { state } from './session.js';
import { contentType } from './inbox-files.js';

var IN_FLIGHT = 4;

// Why the server did not take a file, as the page names it.
var FILE_REASONS = { 'not-dicom': 'notDicom', 'not-accepted': 'notAccepted' };
// Answers that end the whole upload.
var STOPS = { 'limit-reached': 'full', revoked: 'revoked', expired: 'expired', invalid: 'session', 'not-an-inbox': 'refused' };

function parse(xhr) {
  try { return JSON.parse(xhr.responseText || 'null') || {}; } catch (e) { return {}; }
}

// The members of an answer that were not taken, named inside the ZIP they came in.
function skippedMembers(job, files, isZip) {
  return (files || []).filter(function (f) { return f.Status !== 'accepted'; }).map(function (f) {
    return { name: isZip ? job.name + ' › ' + f.Name : job.name, reason: FILE_REASONS[f.Status] || 'notAccepted' };
  });
}

// Applies one answer to its job; returns the stop reason when the upload ends here.
function settle(job, status, data) {
  var isZip = contentType(job.name) === 'application/zip';
  job.accepted = typeof data.Accepted === 'number' ? data.Accepted : 0;
  job.skipped = skippedMembers(job, data.Files, isZip);
  var stop = status === 401 || status === 403 || status === 410 || (status === 413 && data.Error === 'limit-reached')
    ? (STOPS[data.Error] || (status === 401 ? 'session' : 'refused')) : null;
  if (status === 200 || stop) {
    if (stop && !job.accepted) job.skipped.push({ name: job.name, reason: stop });
    if (!job.accepted && !job.skipped.length) job.skipped.push({ name: job.name, reason: 'empty' });
    job.status = job.accepted ? 'accepted' : 'skipped';
    return stop;
  }
  if (status === 0 || status === 429 || status >= 500) {
    job.status = 'failed';
    job.reason = status === 0 ? 'network' : 'server';
    return null;
  }
  job.status = 'skipped';
  var reason = status === 413 ? 'tooLarge' : data.Error === 'bad-zip' ? 'badZip' : 'unsupported';
  job.skipped.push({ name: job.name, reason: reason });
  return null;
}

// hooks: change(batch) on every step, end(batch) once a batch is done.
export function createUploader(hooks) {
  var batch = null;
  var stopped = null;

  function newBatch() {
    batch = { jobs: [], started: Date.now(), stopped: null };
    return batch;
  }

  function send(job) {
    job.status = 'sending';
    job.loaded = 0;
    var xhr = new XMLHttpRequest();
    xhr.open('POST', SHARE_BASE + 'api/inbox/files');
    xhr.setRequestHeader('Authorization', 'Bearer ' + state.session);
    xhr.setRequestHeader('Content-Type', contentType(job.name));
    xhr.setRequestHeader('X-File-Name', encodeURIComponent(job.name));
    xhr.upload.onprogress = function (e) {
      job.loaded = Math.min(e.loaded, job.size);
      hooks.change(batch);
    };
    xhr.onload = function () { finish(job, xhr.status, parse(xhr)); };
    xhr.onerror = xhr.ontimeout = xhr.onabort = function () { finish(job, 0, {}); };
    xhr.send(job.file);
  }

  function finish(job, status, data) {
    var stop = settle(job, status, data);
    job.loaded = job.status === 'failed' ? 0 : job.size;
    if (stop && !stopped) {
      stopped = stop;
      batch.stopped = stop;
      batch.jobs.forEach(function (j) { if (j.status === 'queued') j.status = 'notSent'; });
    }
    pump();
  }

  function pump() {
    var current = batch;
    var sending = current.jobs.filter(function (j) { return j.status === 'sending'; }).length;
    current.jobs.forEach(function (j) {
      if (sending < IN_FLIGHT && j.status === 'queued' && !stopped) { sending++; send(j); }
    });
    hooks.change(current);
    if (!sending) {
      batch = null;
      hooks.end(current);
    }
  }

  function enqueue(jobs) {
    if (stopped || !jobs.length) return;
    var target = batch || newBatch();
    jobs.forEach(function (j) {
      j.status = 'queued';
      j.loaded = 0;
      j.accepted = 0;
      j.skipped = [];
      j.reason = '';
      target.jobs.push(j);
    });
    pump();
  }

  return {
    // items: [{file, name}] from inbox-files.js.
    add: function (items) {
      enqueue(items.map(function (it) { return { file: it.file, name: it.name, size: it.file.size }; }));
    },
    // Sends again the files of a finished batch that failed.
    retry: function (jobs) { enqueue(jobs.filter(function (j) { return j.status === 'failed'; })); },
    stopped: function () { return stopped; },
    busy: function () { return !!batch; }
  };
}
