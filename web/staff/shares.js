// SPDX-License-Identifier: GPL-3.0-or-later
// StudyShare — the staff shares page: list, search, filter, revoke, audit trail.
// The API decides what a user sees (a sharer: its own shares; an admin: all).
// Writes carry X-Requested-With (the plugin's CSRF rule for cookie sessions).
//
// Stable hooks (for tests): body[data-state] = loading | ready | error;
// #search, #state-filter, #refresh, #count, #share-rows > tr[data-share-id][data-state],
// td.col-state, button.js-revoke, button.js-audit, #revoke-dialog, #revoke-confirm,
// #revoke-cancel, #audit-dialog, #audit-rows > tr, #audit-close.
(function () {
  'use strict';
  var API = '../shares';
  var STATE_LABELS = { active: 'Active', expired: 'Expired', revoked: 'Revoked', exhausted: 'Used up' };
  var EVENT_LABELS = {
    create: 'Created', revoke: 'Revoked', open: 'Opened', download: 'Downloaded', email: 'E-mail sent',
    'email-access-code': 'Access code e-mailed'
  };

  var shares = [];
  var pendingRevoke = null;

  function $(id) { return document.getElementById(id); }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  function setState(value) { document.body.setAttribute('data-state', value); }

  function showError(message) {
    $('error').textContent = message;
    $('error').hidden = !message;
  }

  // The gate answers 403 (not 401) to a request without valid staff credentials.
  function request(method, path, signInOnForbidden) {
    var headers = { Accept: 'application/json' };
    if (method !== 'GET') { headers['X-Requested-With'] = 'StudyShare'; }
    return fetch(path, { method: method, credentials: 'same-origin', headers: headers }).then(function (r) {
      return r.json().catch(function () { return null; }).then(function (body) {
        if (r.status === 401 || (r.status === 403 && signInOnForbidden)) { goToLogin(); throw new Error('not signed in'); }
        if (r.status === 403) { throw new Error('not allowed (has your session ended? sign in again)'); }
        if (!r.ok) {
          throw new Error((body && body.Message) || ('the server answered HTTP ' + r.status));
        }
        return body;
      });
    });
  }

  function goToLogin() {
    location.replace('./?next=' + encodeURIComponent(location.pathname + location.search));
  }

  // ---------------------------------------------------------------- formatting
  function patientName(value) { return (value || '').replace(/\^+/g, ' ').trim(); }

  function dicomDate(value) {
    if (!/^\d{8}$/.test(value || '')) { return value || ''; }
    var d = new Date(Number(value.slice(0, 4)), Number(value.slice(4, 6)) - 1, Number(value.slice(6, 8)));
    return d.toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
  }

  function dateTime(iso) {
    if (!iso) { return ''; }
    return new Date(iso).toLocaleString(undefined, { year: 'numeric', month: 'short', day: 'numeric',
      hour: '2-digit', minute: '2-digit' });
  }

  function relative(iso) {
    var seconds = Math.round((new Date(iso).getTime() - Date.now()) / 1000);
    var abs = Math.abs(seconds);
    var amount;
    if (abs < 60) { amount = 'less than a minute'; }
    else if (abs < 3600) { amount = plural(Math.round(abs / 60), 'minute'); }
    else if (abs < 2 * 86400) { amount = plural(Math.round(abs / 3600), 'hour'); }
    else { amount = plural(Math.round(abs / 86400), 'day'); }
    return seconds > 0 ? 'in ' + amount : amount + ' ago';
  }

  function plural(n, word) { return n + ' ' + word + (n === 1 ? '' : 's'); }

  function studyLabel(study) {
    return [study.StudyDescription || 'Study without description', dicomDate(study.StudyDate)].filter(Boolean).join(' · ');
  }

  function searchText(share) {
    var parts = [share.ID, share.CreatedBy, share.Note, share.State, STATE_LABELS[share.State]];
    (share.Studies || []).forEach(function (s) {
      parts.push(s.StudyDescription, s.PatientName, patientName(s.PatientName), s.PatientID, s.DicomUid, s.OrthancId,
        dicomDate(s.StudyDate), s.StudyDate);
    });
    if (share.Recipient && typeof share.Recipient === 'object') {
      Object.keys(share.Recipient).forEach(function (k) { parts.push(String(share.Recipient[k])); });
    }
    return parts.filter(Boolean).join('\n').toLowerCase();
  }

  // ---------------------------------------------------------------- table
  function cell(row, className) {
    var td = el('td', className);
    row.appendChild(td);
    return td;
  }

  function lines(td, first, second) {
    td.appendChild(el('div', 'main', first));
    if (second) { td.appendChild(el('div', 'muted small', second)); }
  }

  function renderRow(share) {
    var row = el('tr');
    row.setAttribute('data-share-id', share.ID);
    row.setAttribute('data-state', share.State);
    var studies = share.Studies || [];
    var first = studies[0] || {};

    var study = cell(row, 'col-study');
    studies.forEach(function (s, i) { study.appendChild(el('div', i === 0 ? 'main' : 'main extra', studyLabel(s))); });

    var patients = [];
    studies.forEach(function (s) {
      var label = patientName(s.PatientName) || 'Unnamed patient';
      if (patients.indexOf(label) < 0) { patients.push(label); }
    });
    lines(cell(row, 'col-patient'), patients.join(', '), first.PatientID ? 'ID ' + first.PatientID : null);

    var recipient = share.Recipient && share.Recipient.Email ? 'to ' + share.Recipient.Email : null;
    lines(cell(row, 'col-creator'), share.CreatedBy, recipient);
    lines(cell(row, 'col-created'), dateTime(share.CreatedAt), share.Note || null);
    if (share.ExpirationDate) {
      lines(cell(row, 'col-expiry'), dateTime(share.ExpirationDate), relative(share.ExpirationDate));
    } else {
      lines(cell(row, 'col-expiry'), 'Never');
    }
    var protections = [];
    if (share.HasPassword) { protections.push('password'); }
    if (share.RequireBirthDate) { protections.push('birth date'); }
    if (share.HasAccessCode) { protections.push('code'); }
    if ((share.Permissions || []).indexOf('Download') >= 0) { protections.push('download'); }
    lines(cell(row, 'col-uses'), share.MaxUses ? share.Uses + ' / ' + share.MaxUses : String(share.Uses),
      protections.length ? protections.join(', ') : null);

    var stateCell = cell(row, 'col-state');
    var badge = el('span', 'badge badge-' + share.State, STATE_LABELS[share.State] || share.State);
    stateCell.appendChild(badge);
    if (share.RevokedAt) { stateCell.appendChild(el('div', 'muted small', dateTime(share.RevokedAt))); }
    var anonymization = share.Anonymization;
    if (anonymization) {
      // The studies of an anonymized share are its copies, named once they are Ready.
      var copy = el('div', 'small anonymization anonymization-' + anonymization.State,
        'Anonymized copy: ' + anonymization.State + (anonymization.CopiesDeleted ? ' (deleted)' : ''));
      copy.setAttribute('data-anonymization', anonymization.State);
      stateCell.appendChild(copy);
      if (anonymization.Error) { stateCell.appendChild(el('div', 'small anonymization-error', anonymization.Error)); }
      if (!studies.length) {
        study.appendChild(el('div', 'muted', 'Copy of ' + plural((anonymization.Originals || []).length, 'original') +
          ' being prepared'));
      }
    }

    var actions = cell(row, 'col-actions');
    var audit = el('button', 'js-audit', 'Audit');
    audit.type = 'button';
    audit.setAttribute('aria-label', 'Audit trail of the share of ' + studyLabel(first));
    audit.addEventListener('click', function () { openAudit(share); });
    actions.appendChild(audit);
    if (share.State === 'active' || share.State === 'exhausted') {
      var revoke = el('button', 'js-revoke danger', 'Revoke');
      revoke.type = 'button';
      revoke.setAttribute('aria-label', 'Revoke the share of ' + studyLabel(first));
      revoke.addEventListener('click', function () { askRevoke(share); });
      actions.appendChild(revoke);
    }
    return row;
  }

  function render() {
    var query = $('search').value.trim().toLowerCase().split(/\s+/).filter(Boolean);
    var wanted = $('state-filter').value;
    var tbody = $('share-rows');
    tbody.textContent = '';
    var shown = 0;
    shares.forEach(function (share) {
      if (wanted !== 'all' && share.State !== wanted) { return; }
      var text = searchText(share);
      if (!query.every(function (word) { return text.indexOf(word) >= 0; })) { return; }
      tbody.appendChild(renderRow(share));
      shown++;
    });
    $('empty').hidden = shown > 0;
    $('count').textContent = shown === shares.length ? plural(shares.length, 'share')
      : shown + ' of ' + plural(shares.length, 'share');
  }

  function load() {
    setState('loading');
    return request('GET', API).then(function (list) {
      shares = (list || []).slice().sort(function (a, b) { return String(b.CreatedAt).localeCompare(String(a.CreatedAt)); });
      showError('');
      render();
      setState('ready');
    }).catch(function (e) {
      showError('The shares cannot be listed: ' + e.message + '.');
      setState('error');
    });
  }

  // ---------------------------------------------------------------- revoke
  function askRevoke(share) {
    pendingRevoke = share;
    var first = (share.Studies || [])[0] || {};
    $('revoke-text').textContent = studyLabel(first) + ' — ' + (patientName(first.PatientName) || 'unnamed patient') +
      ', shared by ' + share.CreatedBy + ' on ' + dateTime(share.CreatedAt) + '.';
    $('revoke-dialog').showModal();
    $('revoke-cancel').focus();
  }

  function onRevokeClosed() {
    var share = pendingRevoke;
    pendingRevoke = null;
    if (!share || $('revoke-dialog').returnValue !== 'revoke') { return; }
    request('DELETE', API + '/' + encodeURIComponent(share.ID)).then(load).catch(function (e) {
      showError('The share could not be revoked: ' + e.message + '.');
    });
  }

  // ---------------------------------------------------------------- audit
  function openAudit(share) {
    var first = (share.Studies || [])[0] || {};
    $('audit-subject').textContent = studyLabel(first) + ' — ' + (patientName(first.PatientName) || 'unnamed patient');
    var tbody = $('audit-rows');
    tbody.textContent = '';
    $('audit-empty').hidden = true;
    $('audit-dialog').showModal();
    request('GET', API + '/' + encodeURIComponent(share.ID) + '/audit').then(function (events) {
      events = (events || []).slice().sort(function (a, b) { return String(a.Time).localeCompare(String(b.Time)); });
      events.forEach(function (event) {
        var row = el('tr');
        row.setAttribute('data-event', event.Event);
        row.setAttribute('data-outcome', event.Outcome);
        row.appendChild(el('td', null, dateTime(event.Time)));
        row.appendChild(el('td', null, EVENT_LABELS[event.Event] || event.Event));
        var outcome = el('td');
        outcome.appendChild(el('span', 'badge badge-' + (event.Outcome === 'success' ? 'active' : 'revoked'), event.Outcome));
        row.appendChild(outcome);
        row.appendChild(el('td', null, event.Actor || 'recipient'));
        var from = el('td', 'small', event.ClientAddress || '');
        if (event.UserAgent) { from.title = event.UserAgent; }
        row.appendChild(from);
        tbody.appendChild(row);
      });
      $('audit-empty').hidden = events.length > 0;
    }).catch(function (e) {
      $('audit-empty').textContent = 'The audit trail cannot be read: ' + e.message + '.';
      $('audit-empty').hidden = false;
    });
  }

  // ---------------------------------------------------------------- wiring
  $('toolbar').addEventListener('submit', function (e) { e.preventDefault(); });
  $('search').addEventListener('input', render);
  $('state-filter').addEventListener('change', render);
  $('refresh').addEventListener('click', load);
  $('revoke-dialog').addEventListener('close', onRevokeClosed);
  $('logout').addEventListener('click', function () {
    fetch('../api/logout', { method: 'POST', credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-Requested-With': 'StudyShare' }, body: '{}' })
      .then(goToLogin, goToLogin);
  });

  request('GET', '../api/me', true).then(function (me) {
    $('whoami').textContent = me.Username + ' (' + me.Role + ')';
    return load();
  }).catch(function (e) {
    if (e.message !== 'not signed in') {
      showError('The server cannot be reached.');
      setState('error');
    }
  });
}());
