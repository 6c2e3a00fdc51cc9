// SPDX-License-Identifier: GPL-3.0-or-later
// The result: the link, its QR code, the access code, what protects it and the e-mail status.
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
        el('p', { id: 'ss-code-page', 'class': 'ss-hint', hidden: true }),
        el('p', { id: 'ss-expiry-words' }),
        el('p', { id: 'ss-protections', 'class': 'ss-hint' }),
        el('p', { id: 'ss-email-status', hidden: true })])]),
    el('div', { 'class': 'ss-buttons' }, [
      el('a', { href: SHARES_PAGE, target: '_blank', rel: 'noopener', id: 'ss-manage', text: 'Manage shares' }),
      el('button', { type: 'button', id: 'ss-done', 'class': 'ss-primary', text: 'Done' })])
  ]);
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
    byId('ss-code-page').textContent = 'The recipient types it at ' + share.CodePageUrl + ' (or on the page the link opens).';
    byId('ss-code-page').hidden = false;
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
