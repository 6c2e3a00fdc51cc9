// SPDX-License-Identifier: GPL-3.0-or-later
// The share form: building it and reading it into the body of POST /studyshare/shares.
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
    el('fieldset', {}, [el('legend', { text: 'Anonymization' }),
      check('ss-anonymize', 'Share an anonymized copy (names, IDs, birth date, institution and private tags removed)', false),
      el('div', { id: 'ss-anonymize-warning', 'class': 'ss-warning', role: 'note', hidden: true }, [
        el('p', { text: 'Text burned into the pixels is not removed. Ultrasound, screen captures, scanned documents ' +
          'and endoscopy images often show the patient’s name in the image itself: look at every series first.' }),
        check('ss-allow-burned-in', 'I have checked the images: they show no patient text', false)])]),
    el('fieldset', {}, [el('legend', { text: 'Recipient' }),
      field('E-mail', el('input', { type: 'email', id: 'ss-email', autocomplete: 'off', placeholder: 'optional' })),
      field('Note', el('textarea', { id: 'ss-note', maxlength: '1000', placeholder: 'optional, kept with the share' }))]),
    el('p', { id: 'ss-error', 'class': 'ss-error', role: 'alert', hidden: true }),
    el('div', { 'class': 'ss-buttons' }, [
      el('button', { type: 'button', id: 'ss-cancel', text: 'Cancel' }),
      el('button', { type: 'submit', id: 'ss-create', 'class': 'ss-primary', text: 'Create link' })])
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
  if (byId('ss-anonymize').checked) {
    if (body.RequireBirthDate) { throw new Error('An anonymized copy has no birth date to ask for: use a password or an access code.'); }
    body.Anonymize = true;
    if (byId('ss-allow-burned-in').checked) { body.AllowBurnedInAnnotation = true; }
  }

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
