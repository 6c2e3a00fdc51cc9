// SPDX-License-Identifier: GPL-3.0-or-later
// StudyShare — how the staff pages write names, dates and sizes, in the page's language.
// window.StudyShareFormat: { patientName, dicomDate, dateTime, relative, bytes }
(function () {
  'use strict';
  var i18n = window.StudyShareStaffI18n;

  function patientName(value) { return (value || '').replace(/\^+/g, ' ').trim(); }

  function dicomDate(value) {
    if (!/^\d{8}$/.test(value || '')) { return value || ''; }
    var d = new Date(Date.UTC(Number(value.slice(0, 4)), Number(value.slice(4, 6)) - 1, Number(value.slice(6, 8))));
    return d.toLocaleDateString(i18n.lang(), { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' });
  }

  function dateTime(iso) {
    if (!iso) { return ''; }
    return new Date(iso).toLocaleString(i18n.lang(), { year: 'numeric', month: 'short', day: 'numeric',
      hour: '2-digit', minute: '2-digit' });
  }

  function relative(iso) {
    var seconds = Math.round((new Date(iso).getTime() - Date.now()) / 1000);
    var abs = Math.abs(seconds);
    var value;
    var unit;
    if (abs < 60) { value = 0; unit = 'second'; }
    else if (abs < 3600) { value = Math.round(abs / 60); unit = 'minute'; }
    else if (abs < 2 * 86400) { value = Math.round(abs / 3600); unit = 'hour'; }
    else { value = Math.round(abs / 86400); unit = 'day'; }
    try {
      return new Intl.RelativeTimeFormat(i18n.lang(), { numeric: 'auto' }).format(seconds < 0 ? -value : value, unit);
    } catch (e) {
      return (seconds < 0 ? '-' : '+') + value + ' ' + unit;
    }
  }

  /** "512 B", "6.0 MiB", "4 GiB" (binary units, as the limits are set). */
  function bytes(count) {
    var units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    var value = Number(count) || 0;
    var unit = 0;
    while (value >= 1024 && unit < units.length - 1) { value /= 1024; unit++; }
    var digits = unit === 0 || value >= 100 || value === Math.round(value) ? 0 : 1;
    return value.toLocaleString(i18n.lang(), { maximumFractionDigits: digits, minimumFractionDigits: digits }) + ' ' +
      units[unit];
  }

  window.StudyShareFormat = { patientName: patientName, dicomDate: dicomDate, dateTime: dateTime, relative: relative,
    bytes: bytes };
}());
