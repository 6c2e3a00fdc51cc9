// SPDX-License-Identifier: GPL-3.0-or-later
// The result: the link, its QR code, the access code, what protects it and the e-mail status.
function buildResult() {
  return el('div', { id: 'ss-result', hidden: true }, [
    el('p', { 'class': 'ss-ok', id: 'ss-result-title', text: T('dialog.ready') }),
    el('div', { 'class': 'ss-linkrow' }, [
      el('input', { type: 'text', id: 'ss-link', readonly: true, 'aria-label': T('link.title') }),
      el('button', { type: 'button', id: 'ss-copy', 'class': 'ss-primary', text: T('link.copy') })]),
    el('span', { id: 'ss-copied', 'class': 'ss-copied', role: 'status', hidden: true }),
    el('p', { id: 'ss-long-link-row', 'class': 'ss-hint', hidden: true }, [
      el('label', { 'for': 'ss-long-link', text: T('link.long') }),
      el('input', { type: 'text', id: 'ss-long-link', readonly: true })]),
    el('div', { 'class': 'ss-result-grid' }, [
      el('img', { id: 'ss-qr', 'class': 'ss-qr', alt: T('link.qrAlt'), width: '176', height: '176' }),
      el('div', { 'class': 'ss-facts' }, [
        el('p', { id: 'ss-code-box', hidden: true }, [T('dialog.accessCodeIs') + ' ',
          el('span', { id: 'ss-access-code', 'class': 'ss-code' })]),
        el('p', { id: 'ss-code-page', 'class': 'ss-hint', hidden: true }),
        el('p', { id: 'ss-expiry-words' }),
        el('p', { id: 'ss-protections', 'class': 'ss-hint' }),
        el('p', { id: 'ss-email-status', hidden: true })])]),
    el('div', { 'class': 'ss-buttons' }, [
      el('a', { href: SHARES_PAGE, target: '_blank', rel: 'noopener', id: 'ss-manage', text: T('dialog.manage') }),
      el('button', { type: 'button', id: 'ss-letter', hidden: true, text: T('dialog.printLetter') }),
      el('button', { type: 'button', id: 'ss-done', 'class': 'ss-primary', text: T('dialog.done') })])
  ]);
}

function describeProtections(share) {
  var parts = [];
  parts.push((share.Permissions || []).indexOf('Download') >= 0 ? T('dialog.viewAndDownload') : T('dialog.viewOnly'));
  if (share.HasPassword) { parts.push(T('protection.password')); }
  if (share.RequireBirthDate) { parts.push(T('dialog.birthDateCheck')); }
  if (share.HasAccessCode) { parts.push(T('protection.code')); }
  if (share.MaxUses) { parts.push(T('dialog.upToUses', { count: share.MaxUses })); }
  return T('dialog.recipientGets', { list: parts.join(', ') });
}

function showResult(share) {
  byId('ss-form').hidden = true;
  var result = byId('ss-result');
  result.hidden = false;
  // The short link by default (its QR code too); the full link stays at hand.
  byId('ss-link').value = share.ShortUrl || share.Url;
  byId('ss-long-link').value = share.Url;
  byId('ss-long-link-row').hidden = !share.ShortUrl;
  byId('ss-qr').src = API + '/' + encodeURIComponent(share.ID) + '/qr.svg';
  if (share.AccessCode) {
    byId('ss-access-code').textContent = share.AccessCode;
    byId('ss-code-box').hidden = false;
    var where = byId('ss-code-page');
    where.textContent = T('dialog.codeWhere', { address: share.CodePageUrl || new URL(ROOT + 'share/', location.href).href });
    where.hidden = false;
  }
  byId('ss-expiry-words').textContent = expiryInWords(share.ExpirationDate);
  var inbox = share.Kind === 'Inbox';
  byId('ss-result-title').textContent = inbox ? T('inbox.ready') : T('dialog.ready');
  byId('ss-protections').textContent = inbox ? describeInbox(share) : describeProtections(share);
  var mail = share.Email;
  if (mail) {
    var status = byId('ss-email-status');
    status.hidden = false;
    status.className = mail.Sent ? 'ss-ok' : 'ss-warn';
    status.textContent = mail.Sent ? T('dialog.emailSent', { to: mail.To || '' })
      : T('dialog.emailFailed', { reason: (mail.Error || '?').replace(/[.\s]+$/, '') });
  }
  if (share.Letter) {
    var letterButton = byId('ss-letter');
    letterButton.hidden = false;
    letterButton.addEventListener('click', function () { openLetter(share); });
  }
  byId('ss-link').focus();
  byId('ss-link').select();
}

function copyLink() {
  var input = byId('ss-link');
  var done = function (ok) {
    var note = byId('ss-copied');
    note.textContent = ok ? T('link.copied') : T('link.copyByHand');
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
