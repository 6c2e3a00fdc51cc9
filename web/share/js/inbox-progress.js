// SPDX-License-Identifier: GPL-3.0-or-later
// How the upload goes: one bar for the whole batch (files, bytes, time left), one bar per
// file on its way, the files that failed (with the retry button) and why it stopped.
import { $ } from './link.js';
import { setText, currentLang } from './i18n.js';

var EARLIEST_ESTIMATE_MS = 1500;
var pending = null;

function unit(value, name, digits) {
  try {
    return new Intl.NumberFormat(currentLang(), { style: 'unit', unit: name, unitDisplay: 'short', maximumFractionDigits: digits }).format(value);
  } catch (e) { return value.toFixed(digits) + ' ' + name; }
}

// Counted in 1024s, as the limits are set (512 MiB shows as 512 MB).
export function formatBytes(n) {
  if (n >= 1 << 30) return unit(n / (1 << 30), 'gigabyte', 1);
  if (n >= 1 << 20) return unit(n / (1 << 20), 'megabyte', 1);
  return unit(Math.max(n, 0) / 1024, 'kilobyte', 0);
}

function formatDuration(seconds) {
  if (seconds >= 5400) return unit(Math.round(seconds / 3600), 'hour', 0);
  if (seconds >= 90) return unit(Math.round(seconds / 60), 'minute', 0);
  return unit(Math.max(1, Math.round(seconds)), 'second', 0);
}

function totals(batch) {
  var t = { files: batch.jobs.length, done: 0, bytes: 0, sent: 0, failed: [] };
  batch.jobs.forEach(function (j) {
    t.bytes += j.size;
    if (j.status === 'sending') t.sent += j.loaded;
    else if (j.status !== 'queued') { t.done++; t.sent += j.status === 'failed' || j.status === 'notSent' ? 0 : j.size; }
    if (j.status === 'failed') t.failed.push(j);
  });
  return t;
}

function fileRow(job) {
  var li = document.createElement('li');
  li.className = 'file-row';
  var name = document.createElement('span');
  name.className = 'file-name';
  name.textContent = job.name;
  li.appendChild(name);
  if (job.status === 'sending') {
    var bar = document.createElement('progress');
    bar.max = Math.max(job.size, 1);
    bar.value = job.loaded;
    bar.setAttribute('aria-label', job.name);
    li.appendChild(bar);
  } else {
    var why = document.createElement('span');
    why.className = 'file-reason';
    setText(why, 'inbox.reason.' + job.reason);
    li.appendChild(why);
  }
  return li;
}

function replaceRows(list, jobs) {
  list.textContent = '';
  jobs.forEach(function (j) { list.appendChild(fileRow(j)); });
}

function render(batch, finished) {
  var t = totals(batch);
  var bar = $('inbox-bar');
  bar.value = Math.round(1000 * (t.bytes ? t.sent / t.bytes : t.done / Math.max(t.files, 1)));
  setText($('inbox-progress-text'), 'inbox.progress.text',
    { done: t.done, files: t.files, sent: formatBytes(t.sent), bytes: formatBytes(t.bytes) });
  var elapsed = Date.now() - batch.started;
  var left = $('inbox-time-left');
  if (finished || elapsed < EARLIEST_ESTIMATE_MS || !t.sent) {
    left.textContent = '';
    left.removeAttribute('data-i18n');
  } else {
    setText(left, 'inbox.progress.left', { time: formatDuration((t.bytes - t.sent) / (t.sent / elapsed) / 1000) });
  }
  if (finished) setText($('inbox-progress-title'), 'inbox.progress.finished');
  replaceRows($('inbox-current'), batch.jobs.filter(function (j) { return j.status === 'sending'; }));
  replaceRows($('inbox-failed'), t.failed);
  $('inbox-failed-box').hidden = !t.failed.length;
  $('inbox-retry').hidden = !finished || !!batch.stopped;
  if (t.failed.length) setText($('inbox-failed-text'), 'inbox.failed', { count: t.failed.length });
  var stop = $('inbox-stopped');
  stop.hidden = !batch.stopped;
  if (batch.stopped) setText(stop, 'inbox.stop.' + batch.stopped);
}

export function startProgress() {
  $('inbox-progress').hidden = false;
  setText($('inbox-progress-title'), 'inbox.progress.title');
}

// Draws at most once a frame, however often the files report progress.
export function showProgress(batch) {
  if (pending) return;
  pending = requestAnimationFrame(function () { pending = null; render(batch, false); });
}

export function showFinished(batch) {
  if (pending) { cancelAnimationFrame(pending); pending = null; }
  render(batch, true);
}
