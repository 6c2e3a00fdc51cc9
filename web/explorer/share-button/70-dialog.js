// SPDX-License-Identifier: GPL-3.0-or-later
// The dialog: opening, closing, submitting, and the subject (patient, study) it shares;
// with the level 'inbox', the "Ask for images" form instead.
var state = { level: null, uuid: null, opener: null };

function closeDialog() {
  var dialog = byId('studyshare-dialog');
  if (!dialog) { return; }
  dialog.parentNode.removeChild(dialog);
  document.removeEventListener('keydown', onKeyDown, true);
  document.removeEventListener('focusin', onFocusIn, true);
  if (state.opener && state.opener.focus) { state.opener.focus(); }
}

function focusableIn(root) {
  return Array.prototype.filter.call(root.querySelectorAll('a[href], button, input, select, textarea, [tabindex]'),
    function (node) {
      return !node.disabled && node.tabIndex >= 0 && node.getClientRects().length > 0;
    });
}

// A modal dialog: Escape closes it, Tab and Shift+Tab go round inside it.
function onKeyDown(event) {
  var dialog = byId('studyshare-dialog');
  if (!dialog) { return; }
  if (event.key === 'Escape') {
    event.stopPropagation();
    event.preventDefault();
    closeDialog();
    return;
  }
  if (event.key !== 'Tab') { return; }
  var nodes = focusableIn(dialog);
  if (nodes.length === 0) { event.preventDefault(); return; }
  var first = nodes[0];
  var last = nodes[nodes.length - 1];
  var inside = dialog.contains(document.activeElement);
  if (event.shiftKey && (!inside || document.activeElement === first)) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && (!inside || document.activeElement === last)) {
    event.preventDefault();
    first.focus();
  }
}

// Focus that lands outside (a click on the page behind) comes back in.
function onFocusIn(event) {
  var dialog = byId('studyshare-dialog');
  if (dialog && !dialog.contains(event.target)) {
    var nodes = focusableIn(dialog);
    if (nodes.length) { nodes[0].focus(); }
  }
}

function showError(message) {
  var box = byId('ss-error');
  box.textContent = '';
  if (message && message.login) {
    box.appendChild(document.createTextNode(message.text + ' '));
    box.appendChild(el('a', { href: LOGIN_PAGE + '?next=' + encodeURIComponent(location.pathname), text: T('dialog.signIn') }));
  } else {
    box.textContent = message;
  }
  box.hidden = false;
}

function submit(event) {
  event.preventDefault();
  event.stopPropagation();
  var error = byId('ss-error');
  error.hidden = true;
  var body;
  try {
    body = state.level === 'inbox' ? readInboxForm() : readForm();
  } catch (e) {
    showError(e.message);
    return;
  }
  var button = byId('ss-create');
  button.disabled = true;
  button.textContent = T('dialog.creating');
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
      showError({ login: true, text: T('dialog.error.notSignedIn') });
    } else if (answer.status === 403) {
      showError({ login: true, text: T('dialog.error.forbidden') });
    } else {
      showError(answer.json.Message || T('error.http', { status: answer.status }));
    }
  }, function () {
    showError(T('error.unreachable'));
  }).then(function () {
    button.disabled = false;
    button.textContent = state.level === 'inbox' ? T('inbox.create') : T('dialog.create');
  });
}

function fillSubject(level, uuid) {
  var subject = byId('ss-subject');
  if (level === 'inbox') {
    subject.textContent = T('inbox.subject');
    return;
  }
  if (level === 'study') {
    getJson(ROOT + 'studies/' + encodeURIComponent(uuid)).then(function (study) {
      var patient = study.PatientMainDicomTags || {};
      subject.textContent = [formatPatientName(tag(patient, 'PatientName')),
        tag(patient, 'PatientID') ? T('patient.id', { id: tag(patient, 'PatientID') }) : '',
        describeStudy(study)].filter(Boolean).join(' · ');
    }).catch(function () { subject.textContent = ''; });
    return;
  }
  Promise.all([getJson(ROOT + 'patients/' + encodeURIComponent(uuid)),
    getJson(ROOT + 'patients/' + encodeURIComponent(uuid) + '/studies')]).then(function (answers) {
    var patient = answers[0].MainDicomTags || {};
    subject.textContent = [formatPatientName(tag(patient, 'PatientName')),
      tag(patient, 'PatientID') ? T('patient.id', { id: tag(patient, 'PatientID') }) : ''].filter(Boolean).join(' · ');
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
    if (studies.length === 0) { box.appendChild(el('p', { 'class': 'ss-hint', text: T('dialog.noStudy') })); }
  }).catch(function () {
    showError(T('dialog.error.studies'));
  });
}

// The words and the server's limits are read first (they shape the form).
function openDialog(level, uuid, opener) {
  closeDialog();
  Promise.all([loadTexts(), loadSettings()]).then(function () { showDialog(level, uuid, opener); });
}

function showDialog(level, uuid, opener) {
  closeDialog();
  ensureStyle();
  state = { level: level, uuid: uuid, opener: opener };
  var panel = el('div', { 'class': 'ss-panel', lang: texts.lang }, [
    el('h2', { id: 'ss-title', text: level === 'inbox' ? T('inbox.title')
      : level === 'patient' ? T('dialog.titlePatient') : T('dialog.titleStudy') }),
    el('p', { id: 'ss-subject', 'class': 'ss-subject', text: ' ' }),
    level === 'inbox' ? buildInboxForm() : buildForm(level),
    buildResult()
  ]);
  var dialog = el('div', { id: 'studyshare-dialog', role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': 'ss-title' }, [panel]);
  dialog.addEventListener('click', function (event) { if (event.target === dialog) { closeDialog(); } });
  document.body.appendChild(dialog);
  document.addEventListener('keydown', onKeyDown, true);
  document.addEventListener('focusin', onFocusIn, true);
  byId('ss-form').addEventListener('submit', submit);
  byId('ss-cancel').addEventListener('click', closeDialog);
  byId('ss-done').addEventListener('click', closeDialog);
  byId('ss-copy').addEventListener('click', copyLink);
  if (level !== 'inbox') { bindAnonymize(); }
  fillSubject(level, uuid);
  byId('ss-expiry').focus();
}
