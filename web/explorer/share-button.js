// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * StudyShare — "Share" button and dialog for Orthanc Explorer (/app/explorer.html).
 * Injected by the plugin through OrthancPluginExtendOrthancExplorer; self-contained
 * (no library of its own, no external resource). It uses the jQuery Mobile page
 * events of Explorer only to know when a study or patient page is shown.
 *
 * Stable hooks (for tests):
 *   #studyshare-share-study, #studyshare-share-patient   the Share buttons
 *   #studyshare-open-ohif                                "Open in OHIF" (study page, when OHIF is served)
 *   #studyshare-dialog                                   the dialog (role=dialog)
 *   #ss-studies input[name="ss-study"]                   study choice (patient page)
 *   #ss-expiry (0|7|15|30|90|365|date), #ss-expiry-date
 *   #ss-perm-view, #ss-perm-download, #ss-password, #ss-birthdate, #ss-code,
 *   #ss-max-uses, #ss-email, #ss-note, #ss-create, #ss-cancel, #ss-error
 *   #ss-result: #ss-link, #ss-copy, #ss-copied, #ss-access-code, #ss-qr,
 *               #ss-expiry-words, #ss-email-status, #ss-done
 *
 * Writes carry X-Requested-With: the plugin refuses cookie-authenticated writes
 * without it (CSRF rule).
 */
(function () {
  'use strict';

  if (window.StudyShareExplorer) {
    return;
  }
  window.StudyShareExplorer = true;

  var ROOT = '../';                      // explorer.html lives in /app/
  var API = ROOT + 'studyshare/shares';
  var SHARES_PAGE = ROOT + 'studyshare/staff/shares.html';
  var LOGIN_PAGE = ROOT + 'studyshare/staff/';
  var EXPIRY_CHOICES = [['0', 'Never'], ['7', '7 days'], ['15', '15 days'], ['30', '30 days'],
    ['90', '90 days'], ['365', '365 days'], ['date', 'On a date…']];
  var DEFAULT_EXPIRY = '30';

  var STYLE = [
    '#studyshare-dialog{position:fixed;inset:0;z-index:100000;background:rgba(10,14,20,.55);display:flex;',
    'align-items:flex-start;justify-content:center;overflow:auto;padding:24px 12px;',
    'font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2733;text-shadow:none}',
    '#studyshare-dialog *{box-sizing:border-box}',
    '#studyshare-dialog .ss-panel{background:#fff;border-radius:10px;width:100%;max-width:560px;',
    'box-shadow:0 12px 40px rgba(0,0,0,.35);padding:18px 20px 16px}',
    '#studyshare-dialog h2{margin:0 0 2px;font-size:19px;font-weight:700}',
    '#studyshare-dialog .ss-subject{margin:0 0 12px;color:#5a6878}',
    '#studyshare-dialog fieldset{border:1px solid #d9e0e7;border-radius:8px;margin:0 0 10px;padding:8px 12px 10px}',
    '#studyshare-dialog legend{font-weight:700;padding:0 4px}',
    '#studyshare-dialog .ss-row{display:flex;gap:12px;flex-wrap:wrap;align-items:center;margin:4px 0}',
    '#studyshare-dialog .ss-field{display:flex;flex-direction:column;flex:1 1 200px;margin:4px 0}',
    '#studyshare-dialog .ss-field>span{font-weight:600;margin-bottom:2px}',
    '#studyshare-dialog .ss-hint{color:#6b7886;font-size:12px;font-weight:400}',
    '#studyshare-dialog input[type=text],#studyshare-dialog input[type=email],#studyshare-dialog input[type=password],',
    '#studyshare-dialog input[type=number],#studyshare-dialog input[type=date],#studyshare-dialog select,',
    '#studyshare-dialog textarea{font:inherit;color:inherit;background:#fff;border:1px solid #b8c3ce;border-radius:6px;',
    'padding:6px 8px;width:100%;min-height:34px;margin:0;box-shadow:none}',
    '#studyshare-dialog textarea{min-height:52px;resize:vertical}',
    '#studyshare-dialog label.ss-check{display:flex;gap:6px;align-items:center;font-weight:400;margin:3px 0;cursor:pointer}',
    '#studyshare-dialog label.ss-check input{margin:0;width:16px;height:16px;position:static;opacity:1}',
    '#studyshare-dialog .ss-buttons{display:flex;gap:8px;justify-content:flex-end;margin-top:12px;flex-wrap:wrap}',
    '#studyshare-dialog button{font:inherit;font-weight:600;border-radius:6px;padding:7px 14px;cursor:pointer;',
    'border:1px solid #b8c3ce;background:#f4f6f8;color:#1d2733;margin:0;width:auto;min-height:34px}',
    '#studyshare-dialog button.ss-primary{background:#1766c2;border-color:#1766c2;color:#fff}',
    '#studyshare-dialog button:disabled{opacity:.6;cursor:progress}',
    '#studyshare-dialog button:focus-visible,#studyshare-dialog input:focus,#studyshare-dialog select:focus,',
    '#studyshare-dialog textarea:focus{outline:2px solid #1766c2;outline-offset:1px}',
    '#studyshare-dialog .ss-error{color:#b3261e;background:#fdecea;border-radius:6px;padding:6px 10px;margin:8px 0 0}',
    '#studyshare-dialog .ss-linkrow{display:flex;gap:8px}',
    '#studyshare-dialog .ss-linkrow input{flex:1;font-family:ui-monospace,monospace;font-size:12px}',
    '#studyshare-dialog .ss-copied{color:#1b7a3a;font-weight:600;margin-left:4px}',
    '#studyshare-dialog .ss-result-grid{display:flex;gap:16px;align-items:flex-start;margin-top:12px;flex-wrap:wrap}',
    '#studyshare-dialog .ss-qr{width:176px;height:176px;border:1px solid #d9e0e7;border-radius:6px;background:#fff}',
    '#studyshare-dialog .ss-facts{flex:1 1 220px}',
    '#studyshare-dialog .ss-facts p{margin:0 0 8px}',
    '#studyshare-dialog .ss-code{font:700 20px/1.2 ui-monospace,monospace;letter-spacing:1px;background:#eef4fb;',
    'border-radius:6px;padding:4px 8px;display:inline-block}',
    '#studyshare-dialog .ss-ok{color:#1b7a3a}',
    '#studyshare-dialog .ss-warn{color:#8a5300}',
    '#studyshare-dialog [hidden]{display:none!important}'
  ].join('');

  // ------------------------------------------------------------ small helpers
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      var value = attrs[key];
      if (value === null || value === undefined || value === false) { return; }
      if (key === 'text') { node.textContent = value; } else { node.setAttribute(key, value === true ? '' : value); }
    });
    (children || []).forEach(function (child) {
      if (child !== null && child !== undefined) {
        node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
      }
    });
    return node;
  }

  function byId(id) { return document.getElementById(id); }

  function ensureStyle() {
    if (!byId('studyshare-style')) {
      var style = el('style', { id: 'studyshare-style' });
      style.textContent = STYLE;
      document.head.appendChild(style);
    }
  }

  function getJson(path) {
    return fetch(path, { credentials: 'same-origin', headers: { Accept: 'application/json' } }).then(function (r) {
      if (!r.ok) { throw new Error('HTTP ' + r.status); }
      return r.json();
    });
  }

  function tag(tags, name) {
    return (tags && typeof tags[name] === 'string') ? tags[name].trim() : '';
  }

  function formatDicomDate(value) {
    if (!/^\d{8}$/.test(value || '')) { return value || ''; }
    var d = new Date(Number(value.slice(0, 4)), Number(value.slice(4, 6)) - 1, Number(value.slice(6, 8)));
    return d.toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
  }

  function formatPatientName(value) {
    return (value || '').replace(/\^+/g, ' ').trim();
  }

  function describeStudy(study) {
    var tags = study.MainDicomTags || {};
    var parts = [tag(tags, 'StudyDescription') || 'Study without description', formatDicomDate(tag(tags, 'StudyDate'))];
    if (tag(tags, 'AccessionNumber')) { parts.push('Acc. ' + tag(tags, 'AccessionNumber')); }
    return parts.filter(Boolean).join(' · ');
  }

  function plural(n, word) { return n + ' ' + word + (n === 1 ? '' : 's'); }

  /** "in 7 days (Friday, December 4, 2026, 9:55 PM)", or "never". */
  function expiryInWords(iso) {
    if (!iso) { return 'The link never expires. Revoke it when it is no longer needed.'; }
    var when = new Date(iso);
    var seconds = Math.round((when.getTime() - Date.now()) / 1000);
    var relative;
    if (seconds <= 0) { relative = 'already expired'; }
    else if (seconds < 3600) { relative = 'in ' + plural(Math.max(1, Math.round(seconds / 60)), 'minute'); }
    else if (seconds < 2 * 86400) { relative = 'in ' + plural(Math.round(seconds / 3600), 'hour'); }
    else { relative = 'in ' + plural(Math.round(seconds / 86400), 'day'); }
    var absolute = when.toLocaleString(undefined, { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric',
      hour: 'numeric', minute: '2-digit' });
    return 'The link expires ' + relative + ' (' + absolute + ').';
  }

  function isoWithoutMillis(date) {
    return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  function localDateInput(date) {
    var pad = function (n) { return (n < 10 ? '0' : '') + n; };
    return date.getFullYear() + '-' + pad(date.getMonth() + 1) + '-' + pad(date.getDate());
  }

  // ------------------------------------------------------------ the dialog
  var state = { level: null, uuid: null, opener: null };

  function closeDialog() {
    var dialog = byId('studyshare-dialog');
    if (!dialog) { return; }
    dialog.parentNode.removeChild(dialog);
    document.removeEventListener('keydown', onKeyDown, true);
    if (state.opener && state.opener.focus) { state.opener.focus(); }
  }

  function onKeyDown(event) {
    if (event.key === 'Escape' && byId('studyshare-dialog')) {
      event.stopPropagation();
      closeDialog();
    }
  }

  function field(label, control, hint) {
    return el('label', { 'class': 'ss-field' }, [el('span', {}, [label, hint ? el('span', { 'class': 'ss-hint', text: ' ' + hint }) : null]), control]);
  }

  function check(id, label, checked) {
    return el('label', { 'class': 'ss-check', 'for': id }, [el('input', { type: 'checkbox', id: id, checked: !!checked }), label]);
  }

  function buildForm(level) {
    var expiry = el('select', { id: 'ss-expiry' }, EXPIRY_CHOICES.map(function (c) {
      return el('option', { value: c[0], selected: c[0] === DEFAULT_EXPIRY, text: c[1] });
    }));
    var tomorrow = new Date(Date.now() + 86400000);
    var date = el('input', { type: 'date', id: 'ss-expiry-date', min: localDateInput(tomorrow), 'aria-label': 'Expiry date' });
    var dateField = field('Expires at the end of', date);
    dateField.hidden = true;
    expiry.addEventListener('change', function () {
      dateField.hidden = expiry.value !== 'date';
      if (!dateField.hidden) { date.focus(); }
    });

    // data-ajax="false": jQuery Mobile must not turn this form into a page change.
    return el('form', { id: 'ss-form', novalidate: true, 'data-ajax': 'false', action: '#' }, [
      level === 'patient' ? el('fieldset', { id: 'ss-studies' }, [el('legend', { text: 'Studies to share' }),
        el('p', { 'class': 'ss-hint', id: 'ss-studies-loading', text: 'Loading the patient’s studies…' })]) : null,
      el('fieldset', {}, [el('legend', { text: 'Link validity' }),
        el('div', { 'class': 'ss-row' }, [field('Expires', expiry), dateField])]),
      el('fieldset', {}, [el('legend', { text: 'Recipient may' }),
        el('div', { 'class': 'ss-row' }, [check('ss-perm-view', 'View the images', true),
          check('ss-perm-download', 'Download the study', false)])]),
      el('fieldset', {}, [el('legend', { text: 'Protection' }),
        field('Password', el('input', { type: 'password', id: 'ss-password', autocomplete: 'new-password',
          placeholder: 'none' }), '(tell it to the recipient another way)'),
        check('ss-birthdate', 'Ask for the patient’s birth date', false),
        check('ss-code', 'Create an access code (to type at the short address)', false),
        field('Use limit', el('input', { type: 'number', id: 'ss-max-uses', min: '1', step: '1', inputmode: 'numeric',
          placeholder: 'unlimited' }), '(number of openings)')]),
      el('fieldset', {}, [el('legend', { text: 'Recipient' }),
        field('E-mail', el('input', { type: 'email', id: 'ss-email', autocomplete: 'off', placeholder: 'optional' })),
        field('Note', el('textarea', { id: 'ss-note', maxlength: '1000', placeholder: 'optional, kept with the share' }))]),
      el('p', { id: 'ss-error', 'class': 'ss-error', role: 'alert', hidden: true }),
      el('div', { 'class': 'ss-buttons' }, [
        el('button', { type: 'button', id: 'ss-cancel', text: 'Cancel' }),
        el('button', { type: 'submit', id: 'ss-create', 'class': 'ss-primary', text: 'Create link' })])
    ]);
  }

  function buildResult() {
    return el('div', { id: 'ss-result', hidden: true }, [
      el('p', { 'class': 'ss-ok', id: 'ss-result-title', text: 'The share link is ready.' }),
      el('div', { 'class': 'ss-linkrow' }, [
        el('input', { type: 'text', id: 'ss-link', readonly: true, 'aria-label': 'Share link' }),
        el('button', { type: 'button', id: 'ss-copy', 'class': 'ss-primary', text: 'Copy link' })]),
      el('span', { id: 'ss-copied', 'class': 'ss-copied', role: 'status', hidden: true }),
      el('div', { 'class': 'ss-result-grid' }, [
        el('img', { id: 'ss-qr', 'class': 'ss-qr', alt: 'QR code of the share link', width: '176', height: '176' }),
        el('div', { 'class': 'ss-facts' }, [
          el('p', { id: 'ss-code-box', hidden: true }, ['Access code: ', el('span', { id: 'ss-access-code', 'class': 'ss-code' })]),
          el('p', { id: 'ss-expiry-words' }),
          el('p', { id: 'ss-protections', 'class': 'ss-hint' }),
          el('p', { id: 'ss-email-status', hidden: true })])]),
      el('div', { 'class': 'ss-buttons' }, [
        el('a', { href: SHARES_PAGE, target: '_blank', rel: 'noopener', id: 'ss-manage', text: 'Manage shares' }),
        el('button', { type: 'button', id: 'ss-done', 'class': 'ss-primary', text: 'Done' })])
    ]);
  }

  function showError(message) {
    var box = byId('ss-error');
    box.textContent = '';
    if (message && message.login) {
      box.appendChild(document.createTextNode(message.text + ' '));
      box.appendChild(el('a', { href: LOGIN_PAGE + '?next=' + encodeURIComponent(location.pathname), text: 'Sign in' }));
    } else {
      box.textContent = message;
    }
    box.hidden = false;
  }

  function readForm() {
    var body = { Resources: [], Permissions: [] };
    if (state.level === 'patient') {
      Array.prototype.forEach.call(document.querySelectorAll('#ss-studies input[name="ss-study"]:checked'), function (box) {
        body.Resources.push({ Level: 'Study', OrthancId: box.value });
      });
      if (body.Resources.length === 0) { throw new Error('Choose at least one study to share.'); }
    } else {
      body.Resources.push({ Level: 'Study', OrthancId: state.uuid });
    }

    var expiry = byId('ss-expiry').value;
    if (expiry === 'date') {
      var value = byId('ss-expiry-date').value;
      var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
      if (!m) { throw new Error('Choose the expiry date.'); }
      var end = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]), 23, 59, 59);
      if (end.getTime() <= Date.now()) { throw new Error('The expiry date must be in the future.'); }
      body.ExpirationDate = isoWithoutMillis(end);
    } else if (expiry !== '0') {
      body.ValidityDuration = Number(expiry) * 86400;
    }

    if (byId('ss-perm-view').checked) { body.Permissions.push('View'); }
    if (byId('ss-perm-download').checked) { body.Permissions.push('Download'); }
    if (body.Permissions.length === 0) { throw new Error('Allow the recipient to view or to download the study.'); }

    var password = byId('ss-password').value;
    if (password) { body.Password = password; }
    if (byId('ss-birthdate').checked) { body.RequireBirthDate = true; }
    if (byId('ss-code').checked) { body.AccessCode = true; }

    var maxUses = byId('ss-max-uses').value.trim();
    if (maxUses) {
      if (!/^\d+$/.test(maxUses) || Number(maxUses) < 1) { throw new Error('The use limit must be a whole number of at least 1.'); }
      body.MaxUses = Number(maxUses);
    }

    var email = byId('ss-email').value.trim();
    if (email) {
      if (!byId('ss-email').checkValidity() || email.indexOf('@') < 1) { throw new Error('The recipient e-mail address is not valid.'); }
      body.Recipient = { Email: email };
    }
    var note = byId('ss-note').value.trim();
    if (note) { body.Note = note; }
    return body;
  }

  function describeProtections(share) {
    var parts = [];
    parts.push((share.Permissions || []).indexOf('Download') >= 0 ? 'view and download' : 'view only');
    if (share.HasPassword) { parts.push('password'); }
    if (share.RequireBirthDate) { parts.push('birth-date check'); }
    if (share.HasAccessCode) { parts.push('access code'); }
    if (share.MaxUses) { parts.push('up to ' + plural(share.MaxUses, 'use')); }
    return 'Recipient: ' + parts.join(', ') + '.';
  }

  function showResult(share) {
    byId('ss-form').hidden = true;
    var result = byId('ss-result');
    result.hidden = false;
    byId('ss-link').value = share.Url;
    byId('ss-qr').src = API + '/' + encodeURIComponent(share.ID) + '/qr.svg';
    if (share.AccessCode) {
      byId('ss-access-code').textContent = share.AccessCode;
      byId('ss-code-box').hidden = false;
    }
    byId('ss-expiry-words').textContent = expiryInWords(share.ExpirationDate);
    byId('ss-protections').textContent = describeProtections(share);
    var mail = share.Email;
    if (mail) {
      var status = byId('ss-email-status');
      status.hidden = false;
      status.className = mail.Sent ? 'ss-ok' : 'ss-warn';
      status.textContent = mail.Sent ? 'E-mail sent to ' + (mail.To || 'the recipient') + '.'
        : 'No e-mail was sent — ' + (mail.Error || 'unknown error').replace(/[.\s]+$/, '') +
          '. The share is kept: give the link another way.';
    }
    byId('ss-link').focus();
    byId('ss-link').select();
  }

  function copyLink() {
    var input = byId('ss-link');
    var done = function (ok) {
      var note = byId('ss-copied');
      note.textContent = ok ? 'Copied to the clipboard.' : 'Press Ctrl+C to copy the selected link.';
      note.hidden = false;
    };
    input.focus();
    input.select();
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(input.value).then(function () { done(true); }, function () {
        done(document.execCommand && document.execCommand('copy'));
      });
    } else {
      var ok = false;
      try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
      done(ok);
    }
  }

  function submit(event) {
    event.preventDefault();
    event.stopPropagation();
    var error = byId('ss-error');
    error.hidden = true;
    var body;
    try {
      body = readForm();
    } catch (e) {
      showError(e.message);
      return;
    }
    var button = byId('ss-create');
    button.disabled = true;
    button.textContent = 'Creating…';
    fetch(API, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-Requested-With': 'StudyShare' },
      body: JSON.stringify(body)
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (json) { return { status: r.status, json: json }; });
    }).then(function (answer) {
      if (answer.status === 201 && answer.json.Url) {
        showResult(answer.json);
      } else if (answer.status === 401) {
        showError({ login: true, text: 'You are not signed in to StudyShare.' });
      } else if (answer.status === 403) {
        showError({ login: true, text: 'You are not allowed to create shares, or your session has ended.' });
      } else {
        showError(answer.json.Message || ('The share could not be created (HTTP ' + answer.status + ').'));
      }
    }, function () {
      showError('The server cannot be reached.');
    }).then(function () {
      button.disabled = false;
      button.textContent = 'Create link';
    });
  }

  function fillSubject(level, uuid) {
    var subject = byId('ss-subject');
    if (level === 'study') {
      getJson(ROOT + 'studies/' + encodeURIComponent(uuid)).then(function (study) {
        var patient = study.PatientMainDicomTags || {};
        subject.textContent = [formatPatientName(tag(patient, 'PatientName')), tag(patient, 'PatientID') ? 'ID ' + tag(patient, 'PatientID') : '',
          describeStudy(study)].filter(Boolean).join(' · ');
      }).catch(function () { subject.textContent = ''; });
      return;
    }
    Promise.all([getJson(ROOT + 'patients/' + encodeURIComponent(uuid)),
      getJson(ROOT + 'patients/' + encodeURIComponent(uuid) + '/studies')]).then(function (answers) {
      var patient = answers[0].MainDicomTags || {};
      subject.textContent = [formatPatientName(tag(patient, 'PatientName')), tag(patient, 'PatientID') ? 'ID ' + tag(patient, 'PatientID') : '']
        .filter(Boolean).join(' · ');
      var studies = answers[1].slice().sort(function (a, b) {
        return tag(b.MainDicomTags, 'StudyDate').localeCompare(tag(a.MainDicomTags, 'StudyDate'));
      });
      var box = byId('ss-studies');
      var loading = byId('ss-studies-loading');
      if (loading) { loading.parentNode.removeChild(loading); }
      studies.forEach(function (study) {
        var label = el('label', { 'class': 'ss-check' }, [
          el('input', { type: 'checkbox', name: 'ss-study', value: study.ID, checked: studies.length === 1 }),
          describeStudy(study)]);
        box.appendChild(label);
      });
      if (studies.length === 0) { box.appendChild(el('p', { 'class': 'ss-hint', text: 'This patient has no study.' })); }
    }).catch(function () {
      showError('The patient’s studies cannot be read.');
    });
  }

  function openDialog(level, uuid, opener) {
    closeDialog();
    ensureStyle();
    state = { level: level, uuid: uuid, opener: opener };
    var panel = el('div', { 'class': 'ss-panel' }, [
      el('h2', { id: 'ss-title', text: level === 'patient' ? 'Share studies of this patient' : 'Share this study' }),
      el('p', { id: 'ss-subject', 'class': 'ss-subject', text: ' ' }),
      buildForm(level),
      buildResult()
    ]);
    var dialog = el('div', { id: 'studyshare-dialog', role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': 'ss-title' }, [panel]);
    dialog.addEventListener('click', function (event) { if (event.target === dialog) { closeDialog(); } });
    document.body.appendChild(dialog);
    document.addEventListener('keydown', onKeyDown, true);
    byId('ss-form').addEventListener('submit', submit);
    byId('ss-cancel').addEventListener('click', closeDialog);
    byId('ss-done').addEventListener('click', closeDialog);
    byId('ss-copy').addEventListener('click', copyLink);
    fillSubject(level, uuid);
    byId('ss-expiry').focus();
  }

  // ------------------------------------------------------------ the buttons
  function currentUuid() {
    var data = window.jQuery && window.jQuery.mobile && window.jQuery.mobile.pageData;
    if (data && data.uuid) { return data.uuid; }
    var m = /[?&]uuid=([^&]+)/.exec(location.hash || '');
    return m ? decodeURIComponent(m[1]) : null;
  }

  function addButton(level, buttonId, anchorId) {
    var $ = window.jQuery;
    $('#' + buttonId).remove();
    var button = $('<a>')
      .attr('id', buttonId)
      .attr('data-role', 'button')
      .attr('href', '#')
      .attr('data-icon', 'forward')
      .attr('data-theme', 'b')
      .text(level === 'patient' ? 'Share studies…' : 'Share…')
      .button();
    button.insertAfter($('#' + anchorId));
    button.click(function (event) {
      event.preventDefault();
      var uuid = currentUuid();
      if (uuid) { openDialog(level, uuid, this); }
    });
  }

  // Staff may open any study in the OHIF build StudyShare serves (when it is
  // configured at its default root): the staff cookie authenticates OHIF's
  // DICOMweb requests, which are all reads.
  function addOhifButton() {
    var $ = window.jQuery;
    $('#studyshare-open-ohif').remove();
    var uuid = currentUuid();
    if (!uuid || !window.fetch) { return; }
    fetch('../ohif/app-config.js', { credentials: 'same-origin' }).then(function (served) {
      if (!served.ok) { return null; }
      return fetch('../studies/' + encodeURIComponent(uuid), { credentials: 'same-origin' });
    }).then(function (study) {
      if (!study || !study.ok) { return null; }
      return study.json();
    }).then(function (study) {
      var uid = study && study.MainDicomTags && study.MainDicomTags.StudyInstanceUID;
      if (!uid || currentUuid() !== uuid) { return; }
      var button = $('<a>')
        .attr('id', 'studyshare-open-ohif')
        .attr('data-role', 'button')
        .attr('href', '../ohif/viewer?StudyInstanceUIDs=' + encodeURIComponent(uid))
        .attr('target', '_blank')
        .attr('rel', 'noopener noreferrer')
        .attr('data-icon', 'arrow-r')
        .text('Open in OHIF')
        .button();
      button.insertAfter($('#studyshare-share-study'));
    }).catch(function () { /* no OHIF button */ });
  }

  if (window.jQuery) {
    window.jQuery('#study').live('pagebeforeshow', function () {
      addButton('study', 'studyshare-share-study', 'study-info');
      addOhifButton();
    });
    window.jQuery('#patient').live('pagebeforeshow', function () { addButton('patient', 'studyshare-share-patient', 'patient-info'); });
    window.jQuery('[data-role="page"]').live('pagebeforehide', closeDialog);
  }
}());
