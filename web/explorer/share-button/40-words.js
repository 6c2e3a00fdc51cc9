// SPDX-License-Identifier: GPL-3.0-or-later
// Words and dates shown to the sharer: study descriptions, expiry in words.
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
