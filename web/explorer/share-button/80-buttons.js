// SPDX-License-Identifier: GPL-3.0-or-later
// The Share buttons on the study and patient pages (jQuery Mobile page events).
function currentUuid() {
  var data = window.jQuery && window.jQuery.mobile && window.jQuery.mobile.pageData;
  if (data && data.uuid) { return data.uuid; }
  var m = /[?&]uuid=([^&]+)/.exec(location.hash || '');
  return m ? decodeURIComponent(m[1]) : null;
}

function addButton(level, buttonId, anchorId) {
  var $ = window.jQuery;
  $('#' + buttonId).remove();
  var button = $('<a>')
    .attr('id', buttonId)
    .attr('data-role', 'button')
    .attr('href', '#')
    .attr('data-icon', 'forward')
    .attr('data-theme', 'b')
    .text(level === 'patient' ? T('dialog.buttonPatient') : T('dialog.buttonStudy'))
    .button();
  button.insertAfter($('#' + anchorId));
  button.click(function (event) {
    event.preventDefault();
    var uuid = currentUuid();
    if (uuid) { openDialog(level, uuid, this); }
  });
}

// "Ask for images" beside Share: an upload link for whoever holds this patient's other studies.
function addInboxButton(buttonId, anchorId) {
  var $ = window.jQuery;
  $('#' + buttonId).remove();
  var button = $('<a>')
    .attr('id', buttonId)
    .attr('data-role', 'button')
    .attr('href', '#')
    .attr('data-icon', 'plus')
    .addClass('studyshare-ask-images')
    .text(T('inbox.button'))
    .button();
  button.insertAfter($('#' + anchorId));
  button.click(function (event) {
    event.preventDefault();
    openDialog('inbox', currentUuid(), this);
  });
}

// Staff may open any study in the OHIF build StudyShare serves (when it is
// configured at its default root): the staff cookie authenticates OHIF's
// DICOMweb requests, which are all reads.
function addOhifButton() {
  var $ = window.jQuery;
  $('#studyshare-open-ohif').remove();
  var uuid = currentUuid();
  if (!uuid || !window.fetch) { return; }
  fetch('../ohif/app-config.js', { credentials: 'same-origin' }).then(function (served) {
    if (!served.ok) { return null; }
    return fetch('../studies/' + encodeURIComponent(uuid), { credentials: 'same-origin' });
  }).then(function (study) {
    if (!study || !study.ok) { return null; }
    return study.json();
  }).then(function (study) {
    var uid = study && study.MainDicomTags && study.MainDicomTags.StudyInstanceUID;
    if (!uid || currentUuid() !== uuid) { return; }
    var button = $('<a>')
      .attr('id', 'studyshare-open-ohif')
      .attr('data-role', 'button')
      .attr('href', '../ohif/viewer?StudyInstanceUIDs=' + encodeURIComponent(uid))
      .attr('target', '_blank')
      .attr('rel', 'noopener noreferrer')
      .attr('data-icon', 'arrow-r')
      .text(T('dialog.openOhif'))
      .button();
    button.insertAfter($('#studyshare-share-study'));
  }).catch(function () { /* no OHIF button */ });
}

// A copy StudyShare made belongs to its share: it is shown as such and is
// never offered for sharing as if it were the patient's original.
function markCopy() {
  var $ = window.jQuery;
  $('#studyshare-copy-note').remove();
  var uuid = currentUuid();
  if (!uuid || !window.fetch) { return; }
  var copyOwner = fetch('../studies/' + encodeURIComponent(uuid) + '/metadata/' + encodeURIComponent(COPY_METADATA),
    { credentials: 'same-origin' }).then(function (r) {
    return r.ok ? r.text() : null;
  });
  // The note is worded from the dictionaries, which may still be on their way.
  Promise.all([copyOwner, loadTexts()]).then(function (answers) {
    var shareId = answers[0];
    if (!shareId || currentUuid() !== uuid) { return; }
    $('#studyshare-share-study').remove();
    var note = $('<p>').attr('id', 'studyshare-copy-note').addClass('ss-copy-note')
      .text(T('copy.note', { share: shareId }));
    note.insertAfter($('#study-info'));
  }).catch(function () { /* not a copy */ });
}

// Orthanc Explorer's own actions (delete, anonymize, modify, send...) are refused
// with a bare 403 when the user's role may not do them: say so instead of nothing.
function showNotice(message) {
  ensureStyle();
  var notice = byId('studyshare-notice');
  if (!notice) {
    notice = el('div', { id: 'studyshare-notice', role: 'alert' }, [el('span', { id: 'studyshare-notice-text' }),
      el('button', { type: 'button', id: 'studyshare-notice-close', 'aria-label': T('dialog.close'), text: '×' })]);
    document.body.appendChild(notice);
    byId('studyshare-notice-close').addEventListener('click', function () { notice.hidden = true; });
  }
  byId('studyshare-notice-text').textContent = message;
  notice.hidden = false;
  byId('studyshare-notice-close').focus();
}

function onExplorerRefusal(event, xhr, options) {
  if (!xhr || xhr.status !== 403 || !settings || settings.Role === 'admin') { return; }
  var method = String((options && options.type) || 'GET').toUpperCase();
  var action = method === 'DELETE' ? T('role.action.delete') : T('role.action.change');
  showNotice(T('role.forbidden', { user: settings.Username, role: settings.Role, action: action }));
}

if (window.jQuery) {
  Promise.all([loadTexts(), loadSettings()]).then(function () {
    var $ = window.jQuery;
    if ($('#studyshare-share-study').length) { $('#studyshare-share-study .ui-btn-text').text(T('dialog.buttonStudy')); }
    if ($('#studyshare-share-patient').length) { $('#studyshare-share-patient .ui-btn-text').text(T('dialog.buttonPatient')); }
    $('.studyshare-ask-images .ui-btn-text').text(T('inbox.button'));
  });
  window.jQuery(document).ajaxError(onExplorerRefusal);
  window.jQuery('#study').live('pagebeforeshow', function () {
    addButton('study', 'studyshare-share-study', 'study-info');
    addInboxButton('studyshare-inbox-study', 'studyshare-share-study');
    addOhifButton();
    markCopy();
  });
  window.jQuery('#patient').live('pagebeforeshow', function () {
    addButton('patient', 'studyshare-share-patient', 'patient-info');
    addInboxButton('studyshare-inbox-patient', 'studyshare-share-patient');
  });
  window.jQuery('[data-role="page"]').live('pagebeforehide', closeDialog);
}
