// SPDX-License-Identifier: GPL-3.0-or-later
// The upload page of an inbox link: the pickers (files, a folder) and the drop zone feed
// the uploader; its progress and, after each batch, the summary are shown below.
// section#state-inbox[data-phase] says where it is: idle, uploading, done or stopped.
import { $ } from './link.js';
import { setText, currentLang } from './i18n.js';
import { show, getState, announce } from './states.js';
import { fromInput, fromDrop } from './inbox-files.js';
import { createUploader } from './inbox-upload.js';
import { startProgress, showProgress, showFinished, formatBytes } from './inbox-progress.js';
import { showSummary, tellComplete } from './inbox-summary.js';

var skipped = [];
var lastBatch = null;

function setPhase(phase) { $('state-inbox').setAttribute('data-phase', phase); }

function batchEnded(batch) {
  lastBatch = batch;
  batch.jobs.forEach(function (j) {
    if (j.status === 'notSent') skipped.push({ name: j.name, reason: 'notSent' });
    (j.skipped || []).forEach(function (e) { skipped.push(e); });
    j.skipped = [];
  });
  showFinished(batch);
  var accepted = batch.jobs.reduce(function (n, j) { return n + (j.status === 'accepted' ? j.accepted : 0); }, 0);
  $('inbox-pick-folder').disabled = $('inbox-pick-files').disabled = !!batch.stopped;
  showSummary(skipped).then(function () {
    if (!uploader.busy()) setPhase(batch.stopped ? 'stopped' : 'done');
    announce($('inbox-progress-text').textContent);
  });
  if (accepted) tellComplete();
}

var uploader = createUploader({
  change: function (batch) { showProgress(batch); },
  end: batchEnded
});

function send(items) {
  if (!items.length || uploader.stopped()) return;
  setPhase('uploading');
  startProgress();
  uploader.add(items);
}

function initPickers() {
  [['inbox-pick-folder', 'inbox-folder-input'], ['inbox-pick-files', 'inbox-files-input']].forEach(function (pair) {
    var input = $(pair[1]);
    $(pair[0]).addEventListener('click', function () { input.click(); });
    input.addEventListener('change', function () {
      send(fromInput(input));
      input.value = '';
    });
  });
}

// A drop anywhere on the page is taken (a browser would otherwise open the file).
function initDrop() {
  var zone = $('inbox-drop');
  document.addEventListener('dragover', function (e) {
    if (getState() !== 'inbox') return;
    e.preventDefault();
    zone.classList.add('dragging');
  });
  document.addEventListener('dragleave', function (e) {
    if (!e.relatedTarget) zone.classList.remove('dragging');
  });
  document.addEventListener('drop', function (e) {
    if (getState() !== 'inbox') return;
    e.preventDefault();
    zone.classList.remove('dragging');
    fromDrop(e.dataTransfer).then(send);
  });
}

export function initInbox() {
  initPickers();
  initDrop();
  $('inbox-retry').addEventListener('click', function () {
    if (!lastBatch) return;
    setPhase('uploading');
    startProgress();
    uploader.retry(lastBatch.jobs);
  });
}

// limits: the open answer's MaxUploadBytes, MaxFileBytes and MaxFiles.
export function showInboxPage(limits) {
  setText($('inbox-limits'), 'inbox.limits', {
    files: new Intl.NumberFormat(currentLang()).format(limits.MaxFiles), bytes: formatBytes(limits.MaxUploadBytes), fileBytes: formatBytes(limits.MaxFileBytes)
  });
  show('inbox', 'inbox', $('inbox-title'));
}
