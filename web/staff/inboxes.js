// SPDX-License-Identifier: GPL-3.0-or-later
// StudyShare — inboxes on the staff shares page: what each received, study by study
// (patient, date, description, modalities, images, bytes), each linked to Orthanc
// Explorer, and what it accepts. shares.js draws the rows and calls these.
// Names and tag values came from outside: they are written as text only.
//
// Stable hooks (for tests): tr[data-kind="Inbox"], .kind-badge, .received-study[data-orthanc-id]
// > a.js-open-study, .received-facts, .received-total, .inbox-limits, #kind-filter.
// window.StudyShareInboxes: { isInbox, fillStudies, fillPatients, limitsLine, searchParts, subject }
(function () {
  'use strict';
  var t = window.StudyShareStaffI18n.t;
  var format = window.StudyShareFormat;
  var EXPLORER_STUDY = '../../app/explorer.html#study?uuid=';

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  function isInbox(share) { return share.Kind === 'Inbox'; }

  function received(share) { return share.Received || { Studies: [], Instances: 0, Bytes: 0 }; }

  function images(count) { return t(count === 1 ? 'inbox.images.one' : 'inbox.images.other', { count: count }); }

  function studyTitle(study) {
    return [study.StudyDescription || t('study.noDescription'), format.dicomDate(study.StudyDate)]
      .filter(Boolean).join(' · ');
  }

  /** The study cell: the kind, then one block per received study, linked to Explorer. */
  function fillStudies(td, share) {
    td.appendChild(el('span', 'kind-badge', t('inbox.badge')));
    var studies = received(share).Studies || [];
    if (!studies.length) {
      td.appendChild(el('div', 'muted received-none', t('inbox.nothing')));
      return;
    }
    studies.forEach(function (study) {
      var block = el('div', 'received-study');
      block.setAttribute('data-orthanc-id', study.OrthancId || '');
      var title = studyTitle(study);
      if (study.OrthancId) {
        var link = el('a', 'main js-open-study', title);
        link.href = EXPLORER_STUDY + encodeURIComponent(study.OrthancId);
        link.target = '_blank';
        link.rel = 'noopener';
        link.title = t('inbox.openStudy');
        block.appendChild(link);
      } else {
        block.appendChild(el('div', 'main', title));
      }
      block.appendChild(el('div', 'muted small received-facts', [(study.Modalities || []).join(', '),
        images(study.Instances), format.bytes(study.Bytes)].filter(Boolean).join(' · ')));
      td.appendChild(block);
    });
  }

  /** The patient cell: each patient the uploader sent, with its ID, and whom the link was for. */
  function fillPatients(td, share) {
    var seen = [];
    (received(share).Studies || []).forEach(function (study) {
      var label = (format.patientName(study.PatientName) || t('patient.unnamed')) +
        (study.PatientID ? ' · ' + t('patient.id', { id: study.PatientID }) : '');
      if (seen.indexOf(label) < 0) {
        seen.push(label);
        td.appendChild(el('div', 'main', label));
      }
    });
    var name = share.Recipient && share.Recipient.Name;
    if (name) { td.appendChild(el('div', 'muted small', t('inbox.from.to', { name: name }))); }
  }

  /** The uses cell's second line: what arrived, and what the inbox accepts. */
  function limitsLine(td, share) {
    var got = received(share);
    td.appendChild(el('div', 'small received-total', t('inbox.receivedTotal', { images: images(got.Instances || 0),
      bytes: format.bytes(got.Bytes || 0) })));
    td.appendChild(el('div', 'muted small inbox-limits', t('inbox.limitsText', { total: format.bytes(share.MaxUploadBytes),
      file: format.bytes(share.MaxFileBytes), files: share.MaxFiles })));
  }

  function searchParts(share) {
    var parts = [t('inbox.badge'), share.Recipient && share.Recipient.Name];
    (received(share).Studies || []).forEach(function (s) {
      parts.push(s.StudyDescription, s.PatientName, format.patientName(s.PatientName), s.PatientID, s.StudyInstanceUID,
        s.OrthancId, format.dicomDate(s.StudyDate), s.StudyDate, (s.Modalities || []).join(' '));
    });
    return parts;
  }

  function subject(share) {
    var name = share.Note || (share.Recipient && (share.Recipient.Name || share.Recipient.Email)) || share.ID;
    return t('inbox.subjectOf', { name: name });
  }

  window.StudyShareInboxes = { isInbox: isInbox, fillStudies: fillStudies, fillPatients: fillPatients,
    limitsLine: limitsLine, searchParts: searchParts, subject: subject };
}());
