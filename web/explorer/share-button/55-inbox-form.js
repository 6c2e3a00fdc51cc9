// SPDX-License-Identifier: GPL-3.0-or-later
// "Ask for images": the form of an inbox (an upload link that receives studies and shows
// nothing) and its reading into the body of POST /studyshare/shares with "Kind": "Inbox".
// The server's defaults (4 GiB in all, 512 MiB per file, 20000 files) apply to what is left empty.
var MIB = 1024 * 1024;
var INBOX_DEFAULTS = { upload: 4096, file: 512, files: 20000 };

function numberInput(id, placeholder) {
  return el('input', { type: 'number', id: id, min: '1', step: '1', inputmode: 'numeric', placeholder: placeholder });
}

function buildInboxForm() {
  return el('form', { id: 'ss-form', 'class': 'ss-inbox-form', novalidate: true, 'data-ajax': 'false', action: '#' }, [
    el('p', { 'class': 'ss-hint', id: 'ss-inbox-lead', text: T('inbox.lead') }),
    buildExpiry(),
    el('fieldset', {}, [el('legend', { text: T('inbox.from') }),
      el('div', { 'class': 'ss-row' }, [
        field(T('inbox.name'), el('input', { type: 'text', id: 'ss-inbox-name', maxlength: '200', autocomplete: 'off',
          placeholder: T('dialog.optional') })),
        field(T('inbox.email'), el('input', { type: 'email', id: 'ss-inbox-email', autocomplete: 'off',
          placeholder: T('dialog.optional') }))]),
      field(T('dialog.note'), el('textarea', { id: 'ss-note', maxlength: '1000', placeholder: T('inbox.notePlaceholder') }))]),
    el('fieldset', {}, [el('legend', { text: T('inbox.limits') }),
      el('div', { 'class': 'ss-row' }, [
        field(T('inbox.maxUpload'), numberInput('ss-inbox-max-upload', String(INBOX_DEFAULTS.upload))),
        field(T('inbox.maxFile'), numberInput('ss-inbox-max-file', String(INBOX_DEFAULTS.file))),
        field(T('inbox.maxFiles'), numberInput('ss-inbox-max-files', String(INBOX_DEFAULTS.files)))])]),
    el('fieldset', {}, [el('legend', { text: T('dialog.protection') }),
      field(T('dialog.password'), el('input', { type: 'password', id: 'ss-password', autocomplete: 'new-password',
        placeholder: T('dialog.none') }), T('inbox.passwordHint')),
      check('ss-code', T('dialog.accessCode'), false),
      field(T('dialog.maxUses'), numberInput('ss-max-uses', T('dialog.unlimited')), T('inbox.maxUsesHint'))]),
    el('p', { id: 'ss-error', 'class': 'ss-error', role: 'alert', hidden: true }),
    el('div', { 'class': 'ss-buttons' }, [
      el('button', { type: 'button', id: 'ss-cancel', text: T('dialog.cancel') }),
      el('button', { type: 'submit', id: 'ss-create', 'class': 'ss-primary', text: T('inbox.create') })])
  ]);
}

/** A whole positive number from #id, or null when empty; `message` when it is something else. */
function wholeNumber(id, message) {
  var text = byId(id).value.trim();
  if (!text) { return null; }
  if (!/^\d+$/.test(text) || Number(text) < 1) { throw new Error(message); }
  return Number(text);
}

function readInboxForm() {
  var body = { Kind: 'Inbox' };
  readExpiry(body, limits());
  var name = byId('ss-inbox-name').value.trim();
  var emailInput = byId('ss-inbox-email');
  var email = emailInput.value.trim();
  if (email && (!emailInput.checkValidity() || email.indexOf('@') < 1)) { throw new Error(T('dialog.error.email')); }
  if (name || email) {
    body.Recipient = {};
    if (name) { body.Recipient.Name = name; }
    if (email) { body.Recipient.Email = email; }
  }
  var note = byId('ss-note').value.trim();
  if (note) { body.Note = note; }
  var upload = wholeNumber('ss-inbox-max-upload', T('inbox.error.number'));
  var file = wholeNumber('ss-inbox-max-file', T('inbox.error.number'));
  var files = wholeNumber('ss-inbox-max-files', T('inbox.error.number'));
  if (upload !== null) { body.MaxUploadBytes = upload * MIB; }
  if (file !== null) { body.MaxFileBytes = file * MIB; }
  if (files !== null) { body.MaxFiles = files; }
  var password = byId('ss-password').value;
  if (password) { body.Password = password; }
  if (byId('ss-code').checked) { body.AccessCode = true; }
  var maxUses = wholeNumber('ss-max-uses', T('dialog.error.maxUses'));
  if (maxUses !== null) { body.MaxUses = maxUses; }
  return body;
}

function describeInbox(inbox) {
  var parts = [T('inbox.accepts', { total: Math.round(inbox.MaxUploadBytes / MIB), file: Math.round(inbox.MaxFileBytes / MIB),
    files: inbox.MaxFiles })];
  if (inbox.HasPassword) { parts.push(T('protection.password')); }
  if (inbox.HasAccessCode) { parts.push(T('protection.code')); }
  if (inbox.MaxUses) { parts.push(T('dialog.upToUses', { count: inbox.MaxUses })); }
  return parts.join(', ');
}
