// SPDX-License-Identifier: GPL-3.0-or-later
// The share form: building it and reading it into the body of POST /studyshare/shares.
function field(label, control, hint) {
  return el('label', { 'class': 'ss-field' }, [el('span', {}, [label, hint ? el('span', { 'class': 'ss-hint', text: ' ' + hint }) : null]), control]);
}

function check(id, label, checked) {
  return el('label', { 'class': 'ss-check', 'for': id }, [el('input', { type: 'checkbox', id: id, checked: !!checked }), label]);
}

function limits() {
  var me = settings || {};
  return {
    max: typeof me.MaxValidityDuration === 'number' ? me.MaxValidityDuration : Infinity,
    allowNever: me.AllowNeverExpiring !== false,
    // The server's DefaultValidityDuration (0: never); 30 days when it cannot be read.
    preferred: typeof me.DefaultValidityDuration === 'number' ? me.DefaultValidityDuration : 30 * DAY
  };
}

/** [value, label] pairs: '0' never, 'N' days, 's<seconds>' the server's default when not a whole choice. */
function expiryChoices(limit) {
  var choices = [];
  if (limit.allowNever) { choices.push(['0', T('dialog.expiry.choice.never')]); }
  var preferredListed = limit.preferred === 0;
  EXPIRY_DAYS.forEach(function (days) {
    if (days * DAY > limit.max) { return; }
    if (days * DAY === limit.preferred) { preferredListed = true; }
    choices.push([String(days), daysText(days * DAY)]);
  });
  if (!preferredListed) {
    choices.push(['s' + limit.preferred, daysText(limit.preferred)]);
    choices.sort(function (a, b) { return secondsOf(a[0]) - secondsOf(b[0]); });
  }
  choices.push(['date', T('dialog.expiry.choice.date')]);
  return choices.map(function (c) {
    return c[0] !== 'date' && secondsOf(c[0]) === limit.preferred ? [c[0], T('dialog.expiry.default', { choice: c[1] })] : c;
  });
}

function secondsOf(value) {
  if (value === '0') { return 0; }
  return value.charAt(0) === 's' ? Number(value.slice(1)) : Number(value) * DAY;
}

/** The "Validity" fieldset: #ss-expiry and, for a chosen date, #ss-expiry-date. */
function buildExpiry() {
  var limit = limits();
  var expiry = el('select', { id: 'ss-expiry' }, expiryChoices(limit).map(function (c) {
    return el('option', { value: c[0], selected: c[0] !== 'date' && secondsOf(c[0]) === limit.preferred, text: c[1] });
  }));
  var tomorrow = new Date(Date.now() + DAY * 1000);
  var date = el('input', { type: 'date', id: 'ss-expiry-date', min: localDateInput(tomorrow),
    max: isFinite(limit.max) ? localDateInput(new Date(Date.now() + limit.max * 1000)) : null,
    'aria-label': T('dialog.expiry.dateLabel') });
  var dateField = field(T('dialog.expiry.endOf'), date);
  dateField.hidden = true;
  expiry.addEventListener('change', function () {
    dateField.hidden = expiry.value !== 'date';
    if (!dateField.hidden) { date.focus(); }
  });

  return el('fieldset', {}, [el('legend', { text: T('dialog.validity') }),
    el('div', { 'class': 'ss-row' }, [field(T('dialog.expires'), expiry), dateField])]);
}

function buildForm(level) {
  var emailEnabled = !!(settings && settings.EmailEnabled);
  var recipient = [];
  if (emailEnabled) {
    recipient.push(el('div', { 'class': 'ss-row' }, [
      field(T('dialog.email'), el('input', { type: 'email', id: 'ss-email', autocomplete: 'off', placeholder: T('dialog.optional') })),
      field(T('dialog.emailLanguage'), el('select', { id: 'ss-email-lang' }, LANGS.map(function (l) {
        return el('option', { value: l, selected: l === texts.lang, text: LANG_NAMES[l] });
      })))]));
  }
  recipient.push(field(T('dialog.note'), el('textarea', { id: 'ss-note', maxlength: '1000', placeholder: T('dialog.notePlaceholder') })));

  // data-ajax="false": jQuery Mobile must not turn this form into a page change.
  return el('form', { id: 'ss-form', novalidate: true, 'data-ajax': 'false', action: '#' }, [
    level === 'patient' ? el('fieldset', { id: 'ss-studies' }, [el('legend', { text: T('dialog.studies') }),
      el('p', { 'class': 'ss-hint', id: 'ss-studies-loading', text: T('dialog.studiesLoading') })]) : null,
    buildExpiry(),
    el('fieldset', {}, [el('legend', { text: T('dialog.recipientMay') }),
      el('div', { 'class': 'ss-row' }, [check('ss-perm-view', T('dialog.view'), true),
        check('ss-perm-download', T('dialog.download'), false)])]),
    el('fieldset', {}, [el('legend', { text: T('dialog.protection') }),
      field(T('dialog.password'), el('input', { type: 'password', id: 'ss-password', autocomplete: 'new-password',
        placeholder: T('dialog.none') }), T('dialog.passwordHint')),
      check('ss-birthdate', T('dialog.birthDate'), false),
      check('ss-code', T('dialog.accessCode'), false),
      field(T('dialog.maxUses'), el('input', { type: 'number', id: 'ss-max-uses', min: '1', step: '1', inputmode: 'numeric',
        placeholder: T('dialog.unlimited') }), T('dialog.maxUsesHint'))]),
    el('fieldset', {}, [el('legend', { text: T('dialog.anonymization') }),
      check('ss-anonymize', T('dialog.anonymize'), false),
      el('div', { id: 'ss-anonymize-warning', 'class': 'ss-warning', role: 'note', hidden: true }, [
        el('p', { text: T('dialog.burnedInWarning') }),
        check('ss-allow-burned-in', T('dialog.burnedInChecked'), false)])]),
    el('fieldset', {}, [el('legend', { text: T('dialog.recipient') })].concat(recipient)),
    el('p', { id: 'ss-error', 'class': 'ss-error', role: 'alert', hidden: true }),
    el('div', { 'class': 'ss-buttons' }, [
      el('button', { type: 'button', id: 'ss-cancel', text: T('dialog.cancel') }),
      el('button', { type: 'submit', id: 'ss-create', 'class': 'ss-primary', text: T('dialog.create') })])
  ]);
}

// The warning about text in pixels shows with the choice that needs it.
function bindAnonymize() {
  var box = byId('ss-anonymize');
  box.addEventListener('change', function () {
    byId('ss-anonymize-warning').hidden = !box.checked;
    byId('ss-birthdate').disabled = box.checked;
    if (box.checked) { byId('ss-birthdate').checked = false; }
  });
}

/** ExpirationDate or ValidityDuration of `body` from #ss-expiry, within the server's limits. */
function readExpiry(body, limit) {
  var expiry = byId('ss-expiry').value;
  if (expiry === 'date') {
    var value = byId('ss-expiry-date').value;
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
    if (!m) { throw new Error(T('dialog.error.noDate')); }
    var end = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]), 23, 59, 59);
    if (end.getTime() <= Date.now()) { throw new Error(T('dialog.error.pastDate')); }
    if ((end.getTime() - Date.now()) / 1000 > limit.max) {
      throw new Error(T('dialog.error.tooLong', { days: daysText(limit.max) }));
    }
    body.ExpirationDate = isoWithoutMillis(end);
  } else if (expiry !== '0') {
    body.ValidityDuration = secondsOf(expiry);
    if (body.ValidityDuration > limit.max) { throw new Error(T('dialog.error.tooLong', { days: daysText(limit.max) })); }
  } else if (!limit.allowNever) {
    throw new Error(T('dialog.error.needsExpiry', { days: daysText(limit.max) }));
  }
}

function readForm() {
  var body = { Resources: [], Permissions: [] };
  var limit = limits();
  if (state.level === 'patient') {
    Array.prototype.forEach.call(document.querySelectorAll('#ss-studies input[name="ss-study"]:checked'), function (box) {
      body.Resources.push({ Level: 'Study', OrthancId: box.value });
    });
    if (body.Resources.length === 0) { throw new Error(T('dialog.error.noStudy')); }
  } else {
    body.Resources.push({ Level: 'Study', OrthancId: state.uuid });
  }

  readExpiry(body, limit);

  if (byId('ss-perm-view').checked) { body.Permissions.push('View'); }
  if (byId('ss-perm-download').checked) { body.Permissions.push('Download'); }
  if (body.Permissions.length === 0) { throw new Error(T('dialog.error.noPermission')); }

  var password = byId('ss-password').value;
  if (password) { body.Password = password; }
  if (byId('ss-birthdate').checked) { body.RequireBirthDate = true; }
  if (byId('ss-code').checked) { body.AccessCode = true; }
  if (byId('ss-anonymize').checked) {
    if (body.RequireBirthDate) { throw new Error('An anonymized copy has no birth date to ask for: use a password or an access code.'); }
    body.Anonymize = true;
    if (byId('ss-allow-burned-in').checked) { body.AllowBurnedInAnnotation = true; }
  }

  var maxUses = byId('ss-max-uses').value.trim();
  if (maxUses) {
    if (!/^\d+$/.test(maxUses) || Number(maxUses) < 1) { throw new Error(T('dialog.error.maxUses')); }
    body.MaxUses = Number(maxUses);
  }

  var emailInput = byId('ss-email');
  var email = emailInput ? emailInput.value.trim() : '';
  if (email) {
    if (!emailInput.checkValidity() || email.indexOf('@') < 1) { throw new Error(T('dialog.error.email')); }
    body.Recipient = { Email: email, Language: byId('ss-email-lang').value };
  }
  var note = byId('ss-note').value.trim();
  if (note) { body.Note = note; }
  return body;
}
