// SPDX-License-Identifier: GPL-3.0-or-later
// Words and dates shown to the sharer: study descriptions, expiry in words.
function tag(tags, name) {
  return (tags && typeof tags[name] === 'string') ? tags[name].trim() : '';
}

function formatDicomDate(value) {
  if (!/^\d{8}$/.test(value || '')) { return value || ''; }
  var d = new Date(Date.UTC(Number(value.slice(0, 4)), Number(value.slice(4, 6)) - 1, Number(value.slice(6, 8))));
  return d.toLocaleDateString(texts.lang, { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' });
}

function formatPatientName(value) {
  return (value || '').replace(/\^+/g, ' ').trim();
}

function describeStudy(study) {
  var tags = study.MainDicomTags || {};
  var parts = [tag(tags, 'StudyDescription') || T('study.noDescription'), formatDicomDate(tag(tags, 'StudyDate'))];
  if (tag(tags, 'AccessionNumber')) { parts.push(T('study.accession', { number: tag(tags, 'AccessionNumber') })); }
  return parts.filter(Boolean).join(' · ');
}

/** "The link expires in 7 days (Friday 4 December 2026, 21:55)", or that it never does. */
function expiryInWords(iso) {
  if (!iso) { return T('dialog.expiry.never'); }
  var when = new Date(iso);
  var seconds = Math.round((when.getTime() - Date.now()) / 1000);
  var relative;
  try {
    var format = new Intl.RelativeTimeFormat(texts.lang, { numeric: 'auto' });
    if (seconds < 3600) { relative = format.format(Math.max(1, Math.round(seconds / 60)), 'minute'); }
    else if (seconds < 2 * DAY) { relative = format.format(Math.round(seconds / 3600), 'hour'); }
    else { relative = format.format(Math.round(seconds / DAY), 'day'); }
  } catch (e) {
    relative = daysText(seconds);
  }
  var absolute = when.toLocaleString(texts.lang, { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric',
    hour: 'numeric', minute: '2-digit' });
  return T('dialog.expiry.on', { relative: relative, date: absolute });
}

function isoWithoutMillis(date) {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function localDateInput(date) {
  var pad = function (n) { return (n < 10 ? '0' : '') + n; };
  return date.getFullYear() + '-' + pad(date.getMonth() + 1) + '-' + pad(date.getDate());
}
