// SPDX-License-Identifier: GPL-3.0-or-later
// The study page: patient and study facts, the study picker, the series list with
// thumbnails; the first series opens in the built-in viewer.
import { $, ROOT, enc } from './link.js';
import { setText, applyI18n, formatName, formatIso, onLanguageApplied } from './i18n.js';
import { show } from './states.js';
import { state, currentStudy, isSessionEnd, endSession } from './session.js';
import { limited, blobUrl, keepThumbnail } from './images.js';
import { renderActions, viewerButtons, viewerButton } from './actions.js';
import { openSeries, closeViewer, seriesTitleArgs } from './viewer.js';

var pageGen = 0;

export function showStudyPage() {
  var studies = state.share.studies;
  state.retryTarget = 'open';
  // A share by label shows the studies carrying it now: there may be none (yet).
  if (!studies.length) return show(state.share.label ? 'no-labelled-study' : 'error');
  var picker = $('study-picker');
  var list = $('study-picker-list');
  list.textContent = '';
  picker.hidden = studies.length < 2 && !state.share.truncated;
  $('study-picker-truncated').hidden = !state.share.truncated;
  studies.forEach(function (st, i) {
    var b = document.createElement('button');
    b.type = 'button';
    b.className = 'btn';
    b.setAttribute('data-study-index', String(i));
    var d = document.createElement('span');
    d.setAttribute('data-date', st.StudyDate || '');
    var desc = document.createElement('span');
    desc.className = 'hint';
    if (st.StudyDescription) desc.textContent = st.StudyDescription; else setText(desc, 'study.noDescription');
    b.appendChild(d);
    b.appendChild(desc);
    b.addEventListener('click', function () { selectStudy(i, true); });
    list.appendChild(b);
  });
  selectStudy(0, false);
  show('study', 'study', $('patient-name'));
  applyI18n(document);
}

function selectStudy(i, focus) {
  state.studyIndex = i;
  pageGen++;
  var gen = pageGen;
  var study = currentStudy();
  $('study-picker-list').querySelectorAll('button').forEach(function (b) {
    b.setAttribute('aria-pressed', b.getAttribute('data-study-index') === String(i) ? 'true' : 'false');
  });

  var name = formatName(study.PatientName);
  if (name) { $('patient-name').removeAttribute('data-i18n'); $('patient-name').textContent = name; }
  else setText($('patient-name'), 'value.unknown');
  $('patient-birthdate').setAttribute('data-date', study.PatientBirthDate || '');
  $('study-date').setAttribute('data-date', study.StudyDate || '');
  var desc = $('study-description');
  if (study.StudyDescription) { desc.removeAttribute('data-i18n'); desc.textContent = study.StudyDescription; }
  else setText(desc, 'study.noDescription');
  renderValidity();

  renderActions(study);
  $('download-status').textContent = '';

  var series = (Array.isArray(study.Series) ? study.Series : []).filter(function (s) {
    return s && Array.isArray(s.Instances) && s.Instances.length;
  }).slice().sort(function (a, b) {
    var x = parseInt(a.SeriesNumber, 10), y = parseInt(b.SeriesNumber, 10);
    if (isNaN(x) && isNaN(y)) return 0;
    if (isNaN(x)) return 1;
    if (isNaN(y)) return -1;
    return x - y;
  });
  renderSeriesList(study, series, gen);
  if (series.length) openSeries(series[0], false);
  else closeViewer();
  applyI18n($('state-study'));
  if (focus) $('patient-name').focus();
}

// The link's validity, and apart from it when this viewing session ends (when sooner).
function renderValidity() {
  if (!state.share) return;
  var link = state.share.linkExpiration;
  if (link) setText($('share-validity'), 'validity.until', { date: formatIso(link) });
  else setText($('share-validity'), 'validity.never');
  var session = $('session-ends');
  var sessionEnd = new Date(state.share.expiration).getTime();
  session.hidden = !(sessionEnd > 0) || (!!link && new Date(link).getTime() <= sessionEnd);
  if (!session.hidden) setText(session, 'validity.session', { time: formatIso(state.share.expiration) });
}
onLanguageApplied(renderValidity);

function renderSeriesList(study, list, gen) {
  var ul = $('series-list');
  ul.textContent = '';
  list.forEach(function (s) {
    var li = document.createElement('li');
    li.className = 'series-item';
    li.setAttribute('data-series-id', s.OrthancId);

    var open = document.createElement('button');
    open.type = 'button';
    open.className = 'series-open';
    open.addEventListener('click', function () { openSeries(s, true); });

    var thumb = document.createElement('div');
    thumb.className = 'thumb';
    var img = document.createElement('img');
    img.className = 'thumb-img';
    img.alt = '';
    img.hidden = true;
    img.decoding = 'async';
    thumb.appendChild(img);

    var meta = document.createElement('span');
    meta.className = 'series-meta';
    var mod = document.createElement('span');
    mod.className = 'modality';
    mod.textContent = s.Modality || '?';
    var desc = document.createElement('span');
    desc.className = 'desc';
    if (s.SeriesDescription) desc.textContent = s.SeriesDescription;
    else setText(desc, 'series.untitled', seriesTitleArgs(s));
    var count = document.createElement('span');
    count.className = 'count';
    count.setAttribute('data-i18n-plural', '');
    setText(count, 'series.images', { count: s.Instances.length });
    meta.appendChild(mod);
    meta.appendChild(desc);
    meta.appendChild(count);

    open.appendChild(thumb);
    open.appendChild(meta);
    li.appendChild(open);

    viewerButtons('series').forEach(function (v) {
      li.appendChild(viewerButton(v, { study: study, series: s }, 'btn small'));
    });
    ul.appendChild(li);

    limited(function () {
      if (gen !== pageGen || !state.session) return null;
      return blobUrl(ROOT + 'instances/' + enc(s.Instances[0]) + '/preview');
    }).then(function (u) {
      if (!u) return;
      keepThumbnail(u);
      if (gen !== pageGen) return;
      img.src = u;
      img.hidden = false;
    }, function (err) { if (isSessionEnd(err)) endSession(); });
  });
}
