// SPDX-License-Identifier: GPL-3.0-or-later
// StudyShare — the staff shares page: list, search, filter, revoke, audit trail,
// the link and QR code again, unlock a locked share, a new access code; inboxes
// with what they received (inboxes.js) and closed like shares are revoked.
// The API decides what a user sees (a sharer: its own shares; an admin: all).
// Writes carry X-Requested-With (the plugin's CSRF rule for cookie sessions).
//
// Stable hooks (for tests): body[data-state] = loading | ready | error;
// #search, #state-filter, #kind-filter, #refresh, #count, #share-rows > tr[data-share-id][data-state],
// td.col-state, button.js-revoke, button.js-audit, button.js-link, button.js-unlock,
// button.js-new-code, #revoke-dialog, #revoke-confirm, #revoke-cancel, #audit-dialog,
// #audit-rows > tr, #audit-close, #link-dialog, #link-url, #link-qr, #link-close,
// #code-dialog, #code-confirm, #code-value, #code-close, #notice, #error, #lang-select.
(function () {
  'use strict';
  var API = '../shares';
  var i18n = window.StudyShareStaffI18n;
  var t = i18n.t;
  var format = window.StudyShareFormat;
  var inboxes = window.StudyShareInboxes;
  var STATES = ['active', 'locked', 'expired', 'revoked', 'exhausted'];
  var EVENTS = ['create', 'revoke', 'open', 'download', 'email', 'email-access-code', 'unlock', 'access-code',
    'challenge-failed', 'lockout', 'upload', 'upload-refused', 'notify'];

  var shares = [];
  var me = null;
  var pendingRevoke = null;
  var pendingCode = null;

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

  function showNotice(message) {
    $('notice').textContent = message;
    $('notice').hidden = !message;
  }

  function stateLabel(state) { return STATES.indexOf(state) >= 0 ? t('state.' + state) : state; }
  function eventLabel(event) { return EVENTS.indexOf(event) >= 0 ? t('event.' + event) : event; }

  // The gate answers 403 (not 401) to a request without valid staff credentials,
  // and 403 with no body when the user's role may not do this.
  function request(method, path, signInOnForbidden) {
    var headers = { Accept: 'application/json' };
    if (method !== 'GET') { headers['X-Requested-With'] = 'StudyShare'; }
    return fetch(path, { method: method, credentials: 'same-origin', headers: headers }).then(function (r) {
      return r.json().catch(function () { return null; }).then(function (body) {
        if (r.status === 401 || (r.status === 403 && signInOnForbidden)) { goToLogin(); throw new Error('not signed in'); }
        if (r.status === 403) {
          throw new Error(me && me.Role === 'sharer' ? t('error.roleForbids', { role: me.Role }) : t('error.forbidden'));
        }
        if (!r.ok) {
          throw new Error((body && body.Message) || t('error.http', { status: r.status }));
        }
        return body;
      });
    });
  }

  function goToLogin() {
    location.replace('./?next=' + encodeURIComponent(location.pathname + location.search));
  }

  // ---------------------------------------------------------------- formatting
  var patientName = format.patientName;
  var dicomDate = format.dicomDate;
  var dateTime = format.dateTime;
  var relative = format.relative;

  function studyLabel(study) {
    return [study.StudyDescription || t('study.noDescription'), dicomDate(study.StudyDate),
      study.AccessionNumber ? t('study.accession', { number: study.AccessionNumber }) : ''].filter(Boolean).join(' · ');
  }

  function searchText(share) {
    var parts = [share.ID, share.CreatedBy, share.Note, share.State, stateLabel(share.State), share.Label];
    (share.Studies || []).forEach(function (s) {
      parts.push(s.StudyDescription, s.PatientName, patientName(s.PatientName), s.PatientID, s.AccessionNumber,
        s.DicomUid, s.OrthancId, dicomDate(s.StudyDate), s.StudyDate);
    });
    if (inboxes.isInbox(share)) { parts = parts.concat(inboxes.searchParts(share)); }
    if (share.Recipient && typeof share.Recipient === 'object') {
      Object.keys(share.Recipient).forEach(function (k) { parts.push(String(share.Recipient[k])); });
    }
    return parts.filter(Boolean).join('\n').toLowerCase();
  }

  // ---------------------------------------------------------------- table
  function cell(row, className, heading) {
    var td = el('td', className);
    td.setAttribute('data-label', t(heading));  // the narrow layout shows it before the value
    row.appendChild(td);
    return td;
  }

  function lines(td, first, second) {
    td.appendChild(el('div', 'main', first));
    if (second) { td.appendChild(el('div', 'muted small', second)); }
  }

  function actionButton(className, label, subject, onClick) {
    var button = el('button', className, label);
    button.type = 'button';
    button.setAttribute('aria-label', label + ' — ' + subject);
    button.addEventListener('click', onClick);
    return button;
  }

  function renderRow(share) {
    var row = el('tr');
    row.setAttribute('data-share-id', share.ID);
    row.setAttribute('data-state', share.State);
    row.setAttribute('data-kind', share.Kind || 'Share');
    var inbox = inboxes.isInbox(share);
    var studies = share.Studies || [];
    var first = studies[0] || {};
    var byLabel = typeof share.Label === 'string';  // a share by label names no study itself
    var subject = inbox ? inboxes.subject(share)
      : (byLabel ? t('share.byLabel', { label: share.Label }) : studyLabel(first));

    var study = cell(row, 'col-study', 'col.study');
    if (inbox) {
      inboxes.fillStudies(study, share);
      inboxes.fillPatients(cell(row, 'col-patient', 'col.patient'), share);
    } else if (byLabel) {
      lines(study, subject, t('share.byLabelHint'));
      lines(cell(row, 'col-patient', 'col.patient'), '—');
    } else {
      studies.forEach(function (s, i) { study.appendChild(el('div', i === 0 ? 'main' : 'main extra', studyLabel(s))); });
      var patients = [];
      studies.forEach(function (s) {
        var label = patientName(s.PatientName) || t('patient.unnamed');
        if (patients.indexOf(label) < 0) { patients.push(label); }
      });
      lines(cell(row, 'col-patient', 'col.patient'), patients.join(', '),
        first.PatientID ? t('patient.id', { id: first.PatientID }) : null);
    }

    var recipient = share.Recipient && share.Recipient.Email ? t('share.to', { email: share.Recipient.Email }) : null;
    lines(cell(row, 'col-creator', 'col.createdBy'), share.CreatedBy, recipient);
    lines(cell(row, 'col-created', 'col.created'), dateTime(share.CreatedAt), share.Note || null);
    if (share.ExpirationDate) {
      lines(cell(row, 'col-expiry', 'col.expires'), dateTime(share.ExpirationDate), relative(share.ExpirationDate));
    } else {
      lines(cell(row, 'col-expiry', 'col.expires'), t('expiry.never'));
    }
    var protections = [];
    if (share.HasPassword) { protections.push(t('protection.password')); }
    if (share.RequireBirthDate) { protections.push(t('protection.birthDate')); }
    if (share.HasAccessCode) { protections.push(t('protection.code')); }
    if ((share.Permissions || []).indexOf('Download') >= 0) { protections.push(t('protection.download')); }
    var uses = cell(row, 'col-uses', 'col.uses');
    lines(uses, share.MaxUses ? share.Uses + ' / ' + share.MaxUses : String(share.Uses),
      protections.length ? protections.join(', ') : null);
    if (inbox) { inboxes.limitsLine(uses, share); }

    var stateCell = cell(row, 'col-state', 'col.state');
    stateCell.appendChild(el('span', 'badge badge-' + share.State, stateLabel(share.State)));
    if (share.RevokedAt) { stateCell.appendChild(el('div', 'muted small', dateTime(share.RevokedAt))); }
    if (share.LockedUntil) {
      stateCell.appendChild(el('div', 'muted small locked-until', t('state.lockedUntil', { time: dateTime(share.LockedUntil) })));
    }
    var anonymization = share.Anonymization;
    if (anonymization) {
      // The studies of an anonymized share are its copies, named once they are Ready.
      var copy = el('div', 'small anonymization anonymization-' + anonymization.State,
        'Anonymized copy: ' + anonymization.State + (anonymization.CopiesDeleted ? ' (deleted)' : ''));
      copy.setAttribute('data-anonymization', anonymization.State);
      stateCell.appendChild(copy);
      if (anonymization.Error) { stateCell.appendChild(el('div', 'small anonymization-error', anonymization.Error)); }
      if (!studies.length) {
        study.appendChild(el('div', 'muted', 'Copy of ' + (anonymization.Originals || []).length + ' original(s)' +
          ' being prepared'));
      }
    }

    var actions = cell(row, 'col-actions', 'col.actions');
    var live = share.State === 'active' || share.State === 'locked';
    if (share.State === 'locked') {
      actions.appendChild(actionButton('js-unlock primary', t('action.unlock'), subject, function () { unlock(share); }));
    }
    if (live) {
      actions.appendChild(actionButton('js-link', t('action.link'), subject, function () { openLink(share); }));
    }
    if (live && share.HasAccessCode) {
      actions.appendChild(actionButton('js-new-code', t('action.newCode'), subject, function () { askNewCode(share); }));
    }
    actions.appendChild(actionButton('js-audit', t('action.audit'), subject, function () { openAudit(share); }));
    if (live || share.State === 'exhausted') {
      actions.appendChild(actionButton(inbox ? 'js-revoke js-close-inbox danger' : 'js-revoke danger',
        t(inbox ? 'action.closeInbox' : 'action.revoke'), subject, function () { askRevoke(share); }));
    }
    return row;
  }

  function render() {
    var query = $('search').value.trim().toLowerCase().split(/\s+/).filter(Boolean);
    var wanted = $('state-filter').value;
    var kind = $('kind-filter').value;
    var tbody = $('share-rows');
    tbody.textContent = '';
    var shown = 0;
    shares.forEach(function (share) {
      if (wanted !== 'all' && share.State !== wanted) { return; }
      if (kind !== 'all' && (share.Kind || 'Share') !== kind) { return; }
      var text = searchText(share);
      if (!query.every(function (word) { return text.indexOf(word) >= 0; })) { return; }
      tbody.appendChild(renderRow(share));
      shown++;
    });
    $('empty').hidden = shown > 0;
    $('count').textContent = shown === shares.length
      ? t(shares.length === 1 ? 'list.count.one' : 'list.count.other', { count: shares.length })
      : t('list.countOf', { shown: shown, count: shares.length });
  }

  function load() {
    setState('loading');
    return request('GET', API).then(function (list) {
      shares = (list || []).slice().sort(function (a, b) { return String(b.CreatedAt).localeCompare(String(a.CreatedAt)); });
      showError('');
      render();
      setState('ready');
    }).catch(function (e) {
      showError(t('error.list', { reason: e.message }));
      setState('error');
    });
  }

  function subjectOf(share) {
    if (inboxes.isInbox(share)) { return inboxes.subject(share); }
    var first = (share.Studies || [])[0] || {};
    return studyLabel(first) + ' — ' + (patientName(first.PatientName) || t('patient.unnamed'));
  }

  // ---------------------------------------------------------------- revoke
  function askRevoke(share) {
    pendingRevoke = share;
    var inbox = inboxes.isInbox(share);
    $('revoke-title').textContent = t(inbox ? 'revoke.inboxTitle' : 'revoke.title');
    $('revoke-warning').textContent = t(inbox ? 'revoke.inboxWarning' : 'revoke.warning');
    $('revoke-confirm').textContent = t(inbox ? 'revoke.closeInbox' : 'revoke.confirm');
    $('revoke-text').textContent = t(inbox ? 'revoke.inboxText' : 'revoke.text', { subject: subjectOf(share),
      user: share.CreatedBy, date: dateTime(share.CreatedAt) });
    $('revoke-dialog').showModal();
    $('revoke-cancel').focus();
  }

  function onRevokeClosed() {
    var share = pendingRevoke;
    pendingRevoke = null;
    if (!share || $('revoke-dialog').returnValue !== 'revoke') { return; }
    request('DELETE', API + '/' + encodeURIComponent(share.ID)).then(load).catch(function (e) {
      showError(t('error.revoke', { reason: e.message }));
    });
  }

  // ---------------------------------------------------------------- unlock
  function unlock(share) {
    showNotice('');
    request('POST', API + '/' + encodeURIComponent(share.ID) + '/unlock').then(function () {
      showNotice(t('unlock.done', { subject: subjectOf(share) }));
      return load();
    }).catch(function (e) {
      showError(t('error.unlock', { reason: e.message }));
    });
  }

  // ---------------------------------------------------------------- link and QR code
  // A share's token is derived from the stored share, so its link can be built again.
  function openLink(share) {
    $('link-subject').textContent = subjectOf(share);
    $('link-url').value = '';
    $('link-copied').hidden = true;
    $('link-qr').removeAttribute('src');
    $('link-dialog').showModal();
    request('GET', API + '/' + encodeURIComponent(share.ID)).then(function (full) {
      $('link-url').value = full.Url;
      $('link-qr').src = API + '/' + encodeURIComponent(share.ID) + '/qr.svg';
      $('link-url').focus();
      $('link-url').select();
    }).catch(function (e) {
      $('link-dialog').close();
      showError(t('error.link', { reason: e.message }));
    });
  }

  function copyLink() {
    var input = $('link-url');
    input.focus();
    input.select();
    var done = function (ok) {
      $('link-copied').textContent = ok ? t('link.copied') : t('link.copyByHand');
      $('link-copied').hidden = false;
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(input.value).then(function () { done(true); }, function () { done(false); });
    } else {
      var ok = false;
      try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
      done(ok);
    }
  }

  // ---------------------------------------------------------------- new access code
  function askNewCode(share) {
    pendingCode = share;
    $('code-subject').textContent = subjectOf(share);
    $('code-ask').hidden = false;
    $('code-result').hidden = true;
    $('code-value').textContent = '';
    $('code-dialog').showModal();
    $('code-cancel').focus();
  }

  function makeNewCode() {
    var share = pendingCode;
    if (!share) { return; }
    $('code-confirm').disabled = true;
    request('POST', API + '/' + encodeURIComponent(share.ID) + '/access-code').then(function (answer) {
      $('code-value').textContent = answer.AccessCode;
      $('code-address').textContent = new URL('../../share/', location.href).href;
      $('code-ask').hidden = true;
      $('code-result').hidden = false;
      $('code-close').focus();
    }).catch(function (e) {
      $('code-dialog').close();
      showError(t('error.newCode', { reason: e.message }));
    }).then(function () {
      $('code-confirm').disabled = false;
    });
  }

  // ---------------------------------------------------------------- audit
  function openAudit(share) {
    $('audit-subject').textContent = subjectOf(share);
    var tbody = $('audit-rows');
    tbody.textContent = '';
    $('audit-empty').hidden = true;
    $('audit-empty').textContent = t('audit.empty');
    $('audit-dialog').showModal();
    request('GET', API + '/' + encodeURIComponent(share.ID) + '/audit').then(function (events) {
      events = (events || []).slice().sort(function (a, b) { return String(a.Time).localeCompare(String(b.Time)); });
      events.forEach(function (event) {
        var row = el('tr');
        row.setAttribute('data-event', event.Event);
        row.setAttribute('data-outcome', event.Outcome);
        row.appendChild(el('td', null, dateTime(event.Time)));
        row.appendChild(el('td', null, eventLabel(event.Event)));
        var outcome = el('td');
        outcome.appendChild(el('span', 'badge badge-' + (event.Outcome === 'success' ? 'active' : 'revoked'), event.Outcome));
        row.appendChild(outcome);
        row.appendChild(el('td', null, event.Actor || t('audit.recipient')));
        var from = el('td', 'small', event.ClientAddress || '');
        if (event.UserAgent) { from.title = event.UserAgent; }
        row.appendChild(from);
        tbody.appendChild(row);
      });
      $('audit-empty').hidden = events.length > 0;
    }).catch(function (e) {
      $('audit-empty').textContent = t('error.audit', { reason: e.message });
      $('audit-empty').hidden = false;
    });
  }

  // ---------------------------------------------------------------- wiring
  $('toolbar').addEventListener('submit', function (e) { e.preventDefault(); });
  $('search').addEventListener('input', render);
  $('state-filter').addEventListener('change', render);
  $('kind-filter').addEventListener('change', render);
  $('refresh').addEventListener('click', load);
  $('revoke-dialog').addEventListener('close', onRevokeClosed);
  $('link-copy').addEventListener('click', copyLink);
  $('code-confirm').addEventListener('click', makeNewCode);
  $('code-dialog').addEventListener('close', function () { pendingCode = null; $('code-value').textContent = ''; });
  $('logout').addEventListener('click', function () {
    fetch('../api/logout', { method: 'POST', credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-Requested-With': 'StudyShare' }, body: '{}' })
      .then(goToLogin, goToLogin);
  });
  i18n.onChange(function () {
    if (me) { $('whoami').textContent = t('whoami', { user: me.Username, role: me.Role }); }
    if (document.body.getAttribute('data-state') === 'ready') { render(); }
  });

  i18n.ready.then(function () {
    return request('GET', '../api/me', true);
  }).then(function (answer) {
    me = answer;
    $('whoami').textContent = t('whoami', { user: me.Username, role: me.Role });
    return load();
  }).catch(function (e) {
    if (e.message !== 'not signed in') {
      showError(t('error.unreachable'));
      setState('error');
    }
  });
}());
