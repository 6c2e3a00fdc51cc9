// SPDX-License-Identifier: GPL-3.0-or-later
// After a batch: what the inbox holds, per study (GET share/api/inbox/summary), and the
// files skipped with why; then the hospital is told the batch is complete
// (POST share/api/inbox/complete; the page goes on whatever it answers).
import { $, SHARE_BASE } from './link.js';
import { setText, formatName, applyI18n } from './i18n.js';
import { state, authFetch } from './session.js';

function fact(list, key, value, dateValue) {
  var row = document.createElement('div');
  var dt = document.createElement('dt');
  setText(dt, key);
  var dd = document.createElement('dd');
  if (dateValue !== undefined) dd.setAttribute('data-date', dateValue);
  else if (value) dd.textContent = value;
  else setText(dd, 'value.unknown');
  row.appendChild(dt);
  row.appendChild(dd);
  list.appendChild(row);
}

function studyItem(study) {
  var li = document.createElement('li');
  li.className = 'inbox-study';
  var name = document.createElement('p');
  name.className = 'patient-name';
  var shown = formatName(study.PatientName);
  if (shown) name.textContent = shown; else setText(name, 'value.unknown');
  li.appendChild(name);
  var facts = document.createElement('dl');
  facts.className = 'facts';
  fact(facts, 'study.date', '', study.StudyDate || '');
  fact(facts, 'study.description', study.StudyDescription);
  fact(facts, 'inbox.summary.modalities', (study.Modalities || []).join(', '));
  fact(facts, 'inbox.summary.images', String(study.Instances));
  li.appendChild(facts);
  return li;
}

function skippedItem(entry) {
  var li = document.createElement('li');
  li.className = 'file-row';
  var name = document.createElement('span');
  name.className = 'file-name';
  name.textContent = entry.name;
  var why = document.createElement('span');
  why.className = 'file-reason';
  setText(why, 'inbox.reason.' + entry.reason);
  li.appendChild(name);
  li.appendChild(why);
  return li;
}

// skipped: [{name, reason}] of every batch so far.
export function showSummary(skipped) {
  return authFetch(SHARE_BASE + 'api/inbox/summary').then(function (r) { return r.json(); }).then(function (data) {
    var studies = Array.isArray(data.Studies) ? data.Studies : [];
    var list = $('inbox-studies');
    list.textContent = '';
    studies.forEach(function (s) { list.appendChild(studyItem(s)); });
    $('inbox-summary-none').hidden = studies.length > 0;
  }, function () { /* the list stays as it was; the skipped files are still shown */ }).then(function () {
    var skippedList = $('inbox-skipped');
    skippedList.textContent = '';
    skipped.forEach(function (e) { skippedList.appendChild(skippedItem(e)); });
    $('inbox-skipped-box').hidden = !skipped.length;
    $('inbox-summary').hidden = false;
    applyI18n($('inbox-summary'));
  });
}

export function tellComplete() {
  if (!state.session) return;
  fetch(SHARE_BASE + 'api/inbox/complete', {
    method: 'POST',
    headers: { 'Authorization': 'Bearer ' + state.session },
    credentials: 'omit',
    referrerPolicy: 'no-referrer'
  }).catch(function () { /* telling the hospital is best effort */ });
}
