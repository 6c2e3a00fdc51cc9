/*
 * StudyShare — recipient single-page app (served at {PublicUrl}/share/).
 * Plain JS, no dependencies, CSP-safe (no inline code, no eval, no style attributes).
 *
 * STATE SELECTORS (stable, for tests). Exactly one <section id="state-…"> is visible
 * (the others carry the `hidden` attribute) and <body data-state="…"> names the state:
 *
 *   section                    body[data-state]      meaning
 *   #state-loading             loading               checking the link / code
 *   #state-code                code                  code-entry page (no token in the link)
 *   #state-code                code-invalid          code entry + #code-error visible
 *                                                    (unknown code from the server, or a
 *                                                    code that is not 15 chars of the alphabet)
 *   #state-challenge           challenge             asks the listed challenges:
 *                                                    #field-password > #password,
 *                                                    #field-birthdate > #birthdate (type=date)
 *   #state-challenge           challenge-failed      same form + #challenge-error visible
 *   #state-invalid             invalid               invalid/incomplete link (also bad-request)
 *   #state-expired             expired               share expired
 *   #state-revoked             revoked               withdrawn by the sender
 *   #state-exhausted           exhausted             use limit reached
 *   #state-locked              locked                too many failed attempts
 *   #state-rate-limited        rate-limited          too many tries, wait a minute
 *   #state-session-expired     session-expired       session token refused later (401)
 *   #state-error               error                 network error / 5xx / unexpected answer
 *   #state-study               study                 the study page
 *
 * Other stable hooks:
 *   #access-code, #code-submit, #code-error           code form
 *   #password, #birthdate, #challenge-submit, #challenge-error
 *   #lang-select                                       language selector (en/fr/de/es)
 *   #patient-name, #patient-birthdate, #study-date, #study-description, #share-expires
 *   #study-picker (only visible for multi-study shares), button[data-study-index="N"]
 *   #download-button                                   only in the DOM with "Download" permission
 *   #download-status                                   aria-live progress of the download
 *   button[data-viewer="webviewer"][data-series-id=…]   per series (Orthanc Web Viewer)
 *   button[data-viewer="stone|ohif|osimis|volview|meddream"]  per study
 *   #series-list > li.series-item[data-series-id=…]    (.current = shown in the viewer)
 *   .series-item img.thumb-img                          thumbnail (blob: URL once loaded)
 *   #viewer-image                                      current image (blob: URL), data-instance-id
 *   #viewer-counter                                    "3 / 24"
 *   #viewer-first/#viewer-prev/#viewer-next/#viewer-last
 *   #viewer-presets button[data-preset="default|soft|lung|bone|brain"] (CT only)
 *   #viewer-error                                      image could not be displayed
 *
 * Security: the share token is read from the URL fragment, removed from the address
 * bar at once, and only ever sent in the body of POST share/api/open. The session
 * token lives in a closure variable only (never in storage, the URL, the DOM or logs)
 * and is sent as "Authorization: Bearer" on image/archive requests; it is put in a URL
 * only when the recipient asks to open an external viewer that requires it.
 */
(function () {
  'use strict';

  // ---------------------------------------------------------------- token capture
  var shareToken = null;
  (function captureToken() {
    var hash = location.hash ? location.hash.slice(1) : '';
    var query = new URLSearchParams(location.search);
    var t = new URLSearchParams(hash).get('token') || query.get('token');
    if (hash || query.has('token')) {
      query.delete('token');
      var qs = query.toString();
      try { history.replaceState(null, '', location.pathname + (qs ? '?' + qs : '')); } catch (e) { /* ignore */ }
    }
    if (t && t.trim()) shareToken = t.trim();
  })();

  // URL root of the Orthanc server ("/" or a reverse-proxy prefix such as "/pacs/").
  var ROOT = (function () {
    var m = /^(.*\/)share(?:\/[^/]*)?$/.exec(location.pathname);
    return m ? m[1] : location.pathname.replace(/[^/]*$/, '') + '../';
  })();
  var SHARE_BASE = ROOT + 'share/';

  var $ = function (id) { return document.getElementById(id); };
  var enc = encodeURIComponent;

  // ---------------------------------------------------------------- i18n
  var LANGS = ['en', 'fr', 'de', 'es'];
  var LANG_KEY = 'studyshare.lang';
  var lang = 'en';
  var dict = {};
  var fallback = {};

  function pickLang() {
    try {
      var saved = localStorage.getItem(LANG_KEY);
      if (LANGS.indexOf(saved) >= 0) return saved;
    } catch (e) { /* storage may be disabled */ }
    var list = (navigator.languages && navigator.languages.length) ? navigator.languages : [navigator.language || 'en'];
    for (var i = 0; i < list.length; i++) {
      var base = String(list[i] || '').toLowerCase().split(/[-_]/)[0];
      if (LANGS.indexOf(base) >= 0) return base;
    }
    return 'en';
  }

  function loadDict(l) {
    return fetch(SHARE_BASE + 'i18n/' + l + '.json', { credentials: 'omit' })
      .then(function (r) { return r.ok ? r.json() : {}; })
      .catch(function () { return {}; });
  }

  function t(key, args) {
    var s = Object.prototype.hasOwnProperty.call(dict, key) ? dict[key]
      : Object.prototype.hasOwnProperty.call(fallback, key) ? fallback[key] : null;
    if (s === null) return null;
    return String(s).replace(/\{(\w+)\}/g, function (m, k) {
      return args && args[k] !== undefined ? String(args[k]) : m;
    });
  }
  function tt(key, args) { var s = t(key, args); return s === null ? '' : s; }

  function pluralKey(base, n) {
    var rule = 'other';
    try { rule = new Intl.PluralRules(lang).select(n); } catch (e) { /* old browser */ }
    return base + (rule === 'one' ? '.one' : '.other');
  }

  // Mark an element as translatable so a language switch re-renders it.
  function setText(el, key, args) {
    el.setAttribute('data-i18n', key);
    if (args) el.setAttribute('data-i18n-args', JSON.stringify(args)); else el.removeAttribute('data-i18n-args');
    var k = (args && typeof args.count === 'number' && el.hasAttribute('data-i18n-plural')) ? pluralKey(key, args.count) : key;
    var s = t(k, args);
    if (s !== null) el.textContent = s;
  }

  function applyI18n(root) {
    root = root || document;
    root.querySelectorAll('[data-i18n]').forEach(function (el) {
      var args = null;
      try { args = el.hasAttribute('data-i18n-args') ? JSON.parse(el.getAttribute('data-i18n-args')) : null; } catch (e) { args = null; }
      var key = el.getAttribute('data-i18n');
      if (args && typeof args.count === 'number' && el.hasAttribute('data-i18n-plural')) key = pluralKey(key, args.count);
      var s = t(key, args);
      if (s !== null) el.textContent = s;
    });
    root.querySelectorAll('[data-i18n-aria-label]').forEach(function (el) {
      var s = t(el.getAttribute('data-i18n-aria-label'));
      if (s !== null) el.setAttribute('aria-label', s);
    });
    root.querySelectorAll('[data-date]').forEach(function (el) {
      el.textContent = formatDicomDate(el.getAttribute('data-date'));
    });
    root.querySelectorAll('[data-datetime]').forEach(function (el) {
      el.textContent = formatIso(el.getAttribute('data-datetime'));
    });
    if (root === document) {
      document.documentElement.lang = lang;
      document.title = tt('app.title') || 'StudyShare';
      if (viewer.series) updateViewerLabels();
    }
  }

  function setLang(l) {
    lang = LANGS.indexOf(l) >= 0 ? l : 'en';
    $('lang-select').value = lang;
    var jobs = [loadDict(lang)];
    if (lang !== 'en' && !Object.keys(fallback).length) jobs.push(loadDict('en'));
    return Promise.all(jobs).then(function (res) {
      dict = res[0] || {};
      if (lang === 'en') fallback = dict; else if (res[1]) fallback = res[1];
      applyI18n(document);
    });
  }

  // ---------------------------------------------------------------- formatting
  function formatDicomDate(s) {
    var m = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(String(s || '').trim());
    if (!m) return s ? String(s) : tt('value.unknown');
    var d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
    if (isNaN(d.getTime()) || d.getUTCDate() !== +m[3]) return String(s);
    try {
      return new Intl.DateTimeFormat(lang, { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' }).format(d);
    } catch (e) { return m[1] + '-' + m[2] + '-' + m[3]; }
  }

  function formatIso(s) {
    var d = new Date(s);
    if (!s || isNaN(d.getTime())) return tt('value.unknown');
    try {
      return new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeStyle: 'short' }).format(d);
    } catch (e) { return d.toLocaleString(); }
  }

  function formatName(pn) {
    var group = String(pn || '').split('=').filter(function (g) { return g.trim(); })[0] || '';
    return group.split('^').map(function (p) { return p.trim(); }).filter(Boolean).join(' ');
  }

  // ---------------------------------------------------------------- states
  var STATES = ['loading', 'code', 'challenge', 'invalid', 'expired', 'revoked', 'exhausted',
    'locked', 'rate-limited', 'session-expired', 'error', 'study'];
  var currentState = 'loading';

  function show(state, bodyState, focusEl) {
    currentState = state;
    STATES.forEach(function (s) { $('state-' + s).hidden = (s !== state); });
    document.body.setAttribute('data-state', bodyState || state);
    var section = $('state-' + state);
    var heading = section.querySelector('h1');
    announce(heading ? heading.textContent : '');
    var target = focusEl || heading;
    if (target) {
      if (!target.hasAttribute('tabindex') && target === heading) target.setAttribute('tabindex', '-1');
      try { target.focus({ preventScroll: false }); } catch (e) { /* ignore */ }
    }
  }

  function announce(text) {
    var st = $('status');
    st.textContent = '';
    if (text) setTimeout(function () { st.textContent = text; }, 50);
  }

  // ---------------------------------------------------------------- open API
  var accessCode = null;     // normalized code typed by the recipient (memory only)
  var challenges = [];       // challenges requested by the server
  var session = null;        // session token (memory only)
  var share = null;          // the 200 answer without the session token
  var retryTarget = 'open';  // what "Try again" does: 'open' | 'code' | 'challenge'

  function openShare(answers) {
    var body = {};
    if (shareToken) body.Token = shareToken; else body.AccessCode = accessCode;
    if (answers) Object.keys(answers).forEach(function (k) { body[k] = answers[k]; });
    return fetch(SHARE_BASE + 'api/open', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Accept': 'application/json' },
      body: JSON.stringify(body),
      credentials: 'omit',
      cache: 'no-store',
      referrerPolicy: 'no-referrer'
    }).then(function (r) {
      return r.text().then(function (txt) {
        var data = null;
        try { data = txt ? JSON.parse(txt) : null; } catch (e) { data = null; }
        return { status: r.status, ok: r.ok, data: data };
      });
    }, function () { return { status: 0, ok: false, data: null }; });
  }

  function submitOpen(answers) {
    show('loading');
    return openShare(answers).then(function (res) { handleOpen(res, !!answers); });
  }

  function handleOpen(res, withAnswers) {
    var data = res.data || {};
    if (res.ok && typeof data.SessionToken === 'string' && Array.isArray(data.Studies)) {
      session = data.SessionToken;
      share = {
        expiration: data.ExpirationDate || '',
        permissions: Array.isArray(data.Permissions) ? data.Permissions : [],
        studies: data.Studies,
        viewers: (data.Viewers && typeof data.Viewers === 'object') ? data.Viewers : {}
      };
      $('password').value = '';
      $('birthdate').value = '';
      showStudyPage();
      return;
    }
    var code = typeof data.Error === 'string' ? data.Error : '';
    if (Array.isArray(data.Challenges) && data.Challenges.length) challenges = data.Challenges.slice();
    switch (code) {
      case 'challenge-required':
        return showChallenge(null);
      case 'challenge-failed':
        return showChallenge('challenge.failed');
      case 'bad-request':
        if (withAnswers && challenges.length) return showChallenge('challenge.badInput', true);
        /* falls through */
      case 'invalid':
        if (!shareToken) return showCodeError('code.invalid');
        return show('invalid');
      case 'expired':
      case 'revoked':
      case 'exhausted':
        return show(code);
      case 'locked':
      case 'rate-limited':
        retryTarget = withAnswers ? 'challenge' : (shareToken ? 'open' : 'code');
        return show(code);
      default:
        if (res.status === 429) { retryTarget = withAnswers ? 'challenge' : (shareToken ? 'open' : 'code'); return show('rate-limited'); }
        retryTarget = withAnswers ? 'challenge' : (shareToken ? 'open' : 'code');
        return show('error');
    }
  }

  // ---------------------------------------------------------------- code entry
  var CODE_RE = /^[ABCDEFGHJKMNPQRSTVWXYZ23456789]{15}$/;
  function normalizeCode(s) { return String(s || '').replace(/[\s\-\u2010-\u2015_.]+/g, '').toUpperCase(); }
  function groupCode(n) { return (n.match(/.{1,5}/g) || []).join('-'); }

  function showCode() {
    $('code-error').hidden = true;
    show('code', 'code', $('access-code'));
  }

  function showCodeError(key) {
    var err = $('code-error');
    setText(err, key);
    err.hidden = false;
    show('code', 'code-invalid', $('access-code'));
  }

  function initCodeForm() {
    var input = $('access-code');
    input.addEventListener('input', function () {
      var raw = input.value;
      if (input.selectionStart !== raw.length) return; // do not fight the cursor
      var n = normalizeCode(raw);
      if (n.length <= 15 && /^[A-Z0-9]*$/.test(n)) {
        var f = groupCode(n);
        if (f !== raw) input.value = f;
      }
    });
    $('code-form').addEventListener('submit', function (e) {
      e.preventDefault();
      var n = normalizeCode(input.value);
      if (!n) { var err = $('code-error'); setText(err, 'code.empty'); err.hidden = false; input.focus(); return; }
      if (!CODE_RE.test(n)) return showCodeError('code.format');
      accessCode = n;
      shareToken = null;
      challenges = [];
      submitOpen(null);
    });
  }

  // ---------------------------------------------------------------- challenges
  function showChallenge(errorKey, keepState) {
    var wantPw = challenges.indexOf('Password') >= 0;
    var wantBd = challenges.indexOf('BirthDate') >= 0;
    if (!wantPw && !wantBd) { retryTarget = shareToken ? 'open' : 'code'; return show('error'); }
    $('field-password').hidden = !wantPw;
    $('field-birthdate').hidden = !wantBd;
    $('password').required = wantPw;
    $('birthdate').required = wantBd;
    $('password').value = '';
    var err = $('challenge-error');
    if (errorKey) { setText(err, errorKey); err.hidden = false; } else err.hidden = true;
    var first = wantPw ? $('password') : $('birthdate');
    show('challenge', errorKey && !keepState ? 'challenge-failed' : 'challenge', first);
    if (errorKey) announce(err.textContent);
  }

  function normalizeBirthDate(s) {
    s = String(s || '').trim();
    var m = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(s);
    return m ? m[1] + '-' + m[2] + '-' + m[3] : s;
  }

  function initChallengeForm() {
    $('challenge-form').addEventListener('submit', function (e) {
      e.preventDefault();
      var answers = {};
      var missing = null;
      if (!$('field-password').hidden) {
        if (!$('password').value) missing = missing || $('password');
        answers.Password = $('password').value;
      }
      if (!$('field-birthdate').hidden) {
        var bd = normalizeBirthDate($('birthdate').value);
        if (!bd) missing = missing || $('birthdate');
        answers.BirthDate = bd;
      }
      if (missing) {
        var err = $('challenge-error');
        setText(err, 'challenge.missing');
        err.hidden = false;
        missing.focus();
        return;
      }
      submitOpen(answers);
    });
  }

  function initRetryButtons() {
    document.querySelectorAll('.js-retry').forEach(function (b) {
      b.addEventListener('click', function () {
        if (retryTarget === 'challenge' && challenges.length) return showChallenge(null);
        if (retryTarget === 'code' || (!shareToken && !accessCode)) return showCode();
        submitOpen(null);
      });
    });
    document.querySelectorAll('.js-enter-code').forEach(function (b) {
      b.addEventListener('click', function () {
        shareToken = null;
        accessCode = null;
        challenges = [];
        $('access-code').value = '';
        showCode();
      });
    });
  }

  // ---------------------------------------------------------------- authenticated fetch
  function HttpError(status) { this.status = status; }

  function authFetch(url, extraHeaders) {
    if (!session) return Promise.reject(new HttpError(401));
    var headers = { 'Authorization': 'Bearer ' + session };
    if (extraHeaders) Object.keys(extraHeaders).forEach(function (k) { headers[k] = extraHeaders[k]; });
    return fetch(url, { headers: headers, credentials: 'omit', referrerPolicy: 'no-referrer' })
      .then(function (r) { if (!r.ok) throw new HttpError(r.status); return r; });
  }

  function isSessionEnd(err) {
    if (!err || !(err instanceof HttpError)) return false;
    if (err.status === 401) return true;
    if (err.status === 403 && share && share.expiration) {
      var exp = new Date(share.expiration).getTime();
      return !isNaN(exp) && Date.now() >= exp;
    }
    return false;
  }

  function endSession() {
    if (currentState === 'session-expired') return;
    session = null;
    share = null;
    viewer.series = null;
    viewer.gen++;
    clearImageCaches();
    show('session-expired');
  }

  // Small concurrency limiter for background loads (thumbnails, prefetch).
  var queue = [];
  var running = 0;
  var MAX_PARALLEL = 4;
  function limited(fn) {
    return new Promise(function (resolve, reject) {
      queue.push({ fn: fn, resolve: resolve, reject: reject });
      pump();
    });
  }
  function pump() {
    while (running < MAX_PARALLEL && queue.length) {
      var job = queue.shift();
      running++;
      Promise.resolve().then(job.fn).then(job.resolve, job.reject).then(function () { running--; pump(); });
    }
  }

  // ---------------------------------------------------------------- image caches
  var imgCache = new Map();   // "instanceId|preset" -> Promise<objectURL> (LRU order)
  var CACHE_MAX = 80;
  var thumbUrls = [];         // object URLs of thumbnails (kept for the session)
  var sopCache = new Map();   // instanceId -> Promise<SOPInstanceUID>
  var displayedUrl = null;

  function clearImageCaches() {
    imgCache.forEach(function (p) { p.then(function (u) { URL.revokeObjectURL(u); }, function () {}); });
    imgCache.clear();
    thumbUrls.forEach(function (u) { URL.revokeObjectURL(u); });
    thumbUrls = [];
    sopCache.clear();
    queue = [];
    var img = $('viewer-image');
    img.removeAttribute('src');
    img.hidden = true;
    displayedUrl = null;
  }

  function blobUrl(url) {
    return authFetch(url).then(function (r) { return r.blob(); }).then(function (b) { return URL.createObjectURL(b); });
  }

  function sopInstanceUid(id) {
    if (!sopCache.has(id)) {
      var p = authFetch(ROOT + 'instances/' + enc(id), { Accept: 'application/json' })
        .then(function (r) { return r.json(); })
        .then(function (j) {
          var uid = j && j.MainDicomTags && j.MainDicomTags.SOPInstanceUID;
          if (!uid) throw new Error('no SOPInstanceUID');
          return String(uid);
        });
      sopCache.set(id, p);
      p.catch(function () { if (sopCache.get(id) === p) sopCache.delete(id); });
    }
    return sopCache.get(id);
  }

  var PRESETS = {
    'default': null,
    soft: { c: 40, w: 400 },
    lung: { c: -600, w: 1500 },
    bone: { c: 300, w: 1500 },
    brain: { c: 40, w: 80 }
  };

  function imageUrlFor(study, series, id, preset) {
    var p = PRESETS[preset];
    if (!p) return Promise.resolve(ROOT + 'instances/' + enc(id) + '/preview');
    return sopInstanceUid(id).then(function (sop) {
      return ROOT + 'dicom-web/studies/' + enc(study.DicomUid) + '/series/' + enc(series.DicomUid) +
        '/instances/' + enc(sop) + '/rendered?window=' + p.c + ',' + p.w + ',linear';
    });
  }

  function getImage(study, series, id, preset) {
    var key = id + '|' + preset;
    if (imgCache.has(key)) {
      var hit = imgCache.get(key);
      imgCache.delete(key);
      imgCache.set(key, hit);
      return hit;
    }
    var p = imageUrlFor(study, series, id, preset).then(blobUrl);
    imgCache.set(key, p);
    p.catch(function () { if (imgCache.get(key) === p) imgCache.delete(key); });
    while (imgCache.size > CACHE_MAX) {
      var oldest = imgCache.keys().next().value;
      var op = imgCache.get(oldest);
      imgCache.delete(oldest);
      op.then(function (u) { if (u !== displayedUrl) URL.revokeObjectURL(u); }, function () {});
    }
    return p;
  }

  // ---------------------------------------------------------------- study page
  var studyIndex = 0;
  var pageGen = 0;

  function currentStudy() { return share && share.studies[studyIndex]; }

  function showStudyPage() {
    var studies = share.studies;
    if (!studies.length) { retryTarget = 'open'; return show('error'); }
    var picker = $('study-picker');
    var list = $('study-picker-list');
    list.textContent = '';
    picker.hidden = studies.length < 2;
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
    studyIndex = i;
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
    $('share-expires').setAttribute('data-datetime', share.expiration || '');

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
    else { viewer.series = null; $('viewer').hidden = true; }
    applyI18n($('state-study'));
    if (focus) $('patient-name').focus();
  }

  function seriesTitleArgs(s) {
    return { modality: s.Modality || '', number: s.SeriesNumber || '' };
  }

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
        if (gen !== pageGen || !session) return null;
        return blobUrl(ROOT + 'instances/' + enc(s.Instances[0]) + '/preview');
      }).then(function (u) {
        if (!u) return;
        thumbUrls.push(u);
        if (gen !== pageGen) return;
        img.src = u;
        img.hidden = false;
      }, function (err) { if (isSessionEnd(err)) endSession(); });
    });
  }

  // ---------------------------------------------------------------- actions: download, viewers
  function hasPermission(p) { return share && share.permissions.indexOf(p) >= 0; }

  function renderActions(study) {
    var box = $('study-actions');
    box.textContent = '';
    if (hasPermission('Download')) {
      var b = document.createElement('button');
      b.type = 'button';
      b.id = 'download-button';
      b.className = 'btn primary';
      setText(b, 'download.button');
      b.addEventListener('click', function () { downloadStudy(study, b); });
      box.appendChild(b);
    }
    viewerButtons('study').forEach(function (v) {
      box.appendChild(viewerButton(v, { study: study }, 'btn'));
    });
  }

  function downloadStudy(study, btn) {
    var status = $('download-status');
    btn.disabled = true;
    btn.setAttribute('aria-busy', 'true');
    setText(status, 'download.preparing');
    var name = 'study-' + (String(study.StudyDate || '').replace(/[^0-9]/g, '') || 'images') + '.zip';
    authFetch(ROOT + 'studies/' + enc(study.OrthancId) + '/archive').then(function (r) {
      var total = parseInt(r.headers.get('Content-Length') || '0', 10) || 0;
      if (!r.body || !r.body.getReader) return r.blob();
      var reader = r.body.getReader();
      var chunks = [];
      var got = 0;
      var lastUpdate = 0;
      function step() {
        return reader.read().then(function (res) {
          if (res.done) return new Blob(chunks, { type: 'application/zip' });
          chunks.push(res.value);
          got += res.value.length;
          var now = Date.now();
          if (now - lastUpdate > 400) {
            lastUpdate = now;
            var mb = (got / 1048576).toFixed(1);
            if (total) setText(status, 'download.progressPercent', { mb: mb, percent: Math.min(100, Math.round(got * 100 / total)) });
            else setText(status, 'download.progress', { mb: mb });
          }
          return step();
        });
      }
      return step();
    }).then(function (blob) {
      var url = URL.createObjectURL(blob);
      var a = document.createElement('a');
      a.href = url;
      a.download = name;
      a.rel = 'noopener';
      a.hidden = true;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
      setText(status, 'download.done', { name: name });
    }).catch(function (err) {
      if (isSessionEnd(err)) return endSession();
      setText(status, 'download.failed');
    }).then(function () {
      btn.disabled = false;
      btn.removeAttribute('aria-busy');
    });
  }

  /*
   * VIEWER HOOK — external viewers. Keys match the "Viewers" object of the open answer;
   * a key whose value is true (or a non-empty string: an alternative base URL ending
   * with "/", e.g. another host for MedDream) gets a button. `level` says whether the
   * button is per series or per study; `needs` an optional permission; `url` builds the
   * path relative to the Orthanc root (or to the string base). The session token is
   * added only when the button is clicked, never written to the DOM.
   */
  var VIEWER_URLS = {
    webviewer: {
      level: 'series', label: 'viewer.open.webviewer', path: 'web-viewer/',
      url: function (c) { return 'app/viewer.html?series=' + enc(c.series.OrthancId) + '&token=' + enc(c.token); }
    },
    stone: {
      level: 'study', label: 'viewer.open.stone', path: 'stone-webviewer/',
      url: function (c) { return 'index.html?study=' + enc(c.study.DicomUid) + '&token=' + enc(c.token); }
    },
    ohif: {
      level: 'study', label: 'viewer.open.ohif', path: 'ohif/',
      url: function (c) { return 'viewer?StudyInstanceUIDs=' + enc(c.study.DicomUid) + '&token=' + enc(c.token); }
    },
    osimis: {
      level: 'study', label: 'viewer.open.osimis', path: 'osimis-viewer/',
      url: function (c) { return 'app/index.html?study=' + enc(c.study.OrthancId) + '&token=' + enc(c.token); }
    },
    volview: {
      level: 'study', label: 'viewer.open.volview', path: 'volview/', needs: 'Download',
      url: function (c) {
        return 'index.html?names=[archive.zip]&urls=[../studies/' + enc(c.study.OrthancId) + '/archive]&token=' + enc(c.token);
      }
    },
    meddream: {
      level: 'study', label: 'viewer.open.meddream', path: 'meddream/',
      url: function (c) { return '?study=' + enc(c.study.DicomUid) + '&token=' + enc(c.token); }
    }
  };

  function viewerButtons(level) {
    if (!share) return [];
    return Object.keys(VIEWER_URLS).filter(function (k) {
      var v = VIEWER_URLS[k];
      var on = share.viewers[k];
      return v.level === level && (on === true || (typeof on === 'string' && on)) && (!v.needs || hasPermission(v.needs));
    });
  }

  function viewerUrl(key, ctx) {
    var v = VIEWER_URLS[key];
    var on = share.viewers[key];
    var base = (typeof on === 'string' && /^(https?:\/\/|\/)/.test(on)) ? on.replace(/\/?$/, '/') : ROOT + v.path;
    return base + v.url({ study: ctx.study, series: ctx.series, token: session });
  }

  function viewerButton(key, ctx, cls) {
    var b = document.createElement('button');
    b.type = 'button';
    b.className = cls;
    b.setAttribute('data-viewer', key);
    if (ctx.series) b.setAttribute('data-series-id', ctx.series.OrthancId);
    setText(b, VIEWER_URLS[key].label);
    b.addEventListener('click', function () {
      if (!session) return endSession();
      window.open(viewerUrl(key, ctx), '_blank', 'noopener,noreferrer');
    });
    return b;
  }

  // ---------------------------------------------------------------- built-in viewer
  var viewer = { series: null, index: 0, preset: 'default', gen: 0 };
  var spinnerTimer = null;

  function openSeries(s, scroll) {
    var study = currentStudy();
    var isCT = String(s.Modality || '').toUpperCase() === 'CT';
    if (!isCT) viewer.preset = 'default';
    viewer.series = s;
    viewer.index = 0;
    $('viewer').hidden = false;
    $('series-list').querySelectorAll('.series-item').forEach(function (li) {
      var cur = li.getAttribute('data-series-id') === s.OrthancId;
      li.classList.toggle('current', cur);
      var btn = li.querySelector('.series-open');
      if (cur) btn.setAttribute('aria-current', 'true'); else btn.removeAttribute('aria-current');
    });
    renderPresets(isCT);
    var title = $('viewer-title');
    if (s.SeriesDescription) { title.removeAttribute('data-i18n'); title.textContent = s.SeriesDescription; }
    else setText(title, 'series.untitled', seriesTitleArgs(s));
    showImage(study);
    if (scroll) {
      var reduce = window.matchMedia && window.matchMedia('(prefers-reduced-motion: reduce)').matches;
      $('viewer').scrollIntoView({ behavior: reduce ? 'auto' : 'smooth', block: 'start' });
      try { $('viewer-stage').focus({ preventScroll: true }); } catch (e) { /* ignore */ }
    }
  }

  function renderPresets(isCT) {
    var box = $('viewer-presets');
    var list = $('viewer-presets-list');
    list.textContent = '';
    box.hidden = !isCT;
    if (!isCT) return;
    Object.keys(PRESETS).forEach(function (k) {
      var b = document.createElement('button');
      b.type = 'button';
      b.className = 'btn small';
      b.setAttribute('data-preset', k);
      b.setAttribute('aria-pressed', k === viewer.preset ? 'true' : 'false');
      setText(b, 'preset.' + k);
      b.addEventListener('click', function () {
        if (viewer.preset === k) return;
        viewer.preset = k;
        list.querySelectorAll('button').forEach(function (x) {
          x.setAttribute('aria-pressed', x.getAttribute('data-preset') === k ? 'true' : 'false');
        });
        showImage(currentStudy());
      });
      list.appendChild(b);
    });
  }

  function updateViewerLabels() {
    var s = viewer.series;
    if (!s) return;
    var n = s.Instances.length;
    var i = viewer.index + 1;
    $('viewer-counter').textContent = i + ' / ' + n;
    setText($('viewer-position'), 'viewer.position', { index: i, total: n });
    $('viewer-image').alt = tt('viewer.imageAlt', { index: i, total: n });
    $('viewer-first').disabled = $('viewer-prev').disabled = (viewer.index === 0);
    $('viewer-last').disabled = $('viewer-next').disabled = (viewer.index >= n - 1);
  }

  function showImage(study) {
    var s = viewer.series;
    if (!s || !study) return;
    var id = s.Instances[viewer.index];
    var gen = ++viewer.gen;
    var img = $('viewer-image');
    updateViewerLabels();
    clearTimeout(spinnerTimer);
    spinnerTimer = setTimeout(function () { if (gen === viewer.gen) $('viewer-spinner').hidden = false; }, 150);
    getImage(study, s, id, viewer.preset).then(function (url) {
      if (gen !== viewer.gen) return;
      displayedUrl = url;
      img.src = url;
      img.setAttribute('data-instance-id', id);
      img.hidden = false;
      $('viewer-error').hidden = true;
    }, function (err) {
      if (gen !== viewer.gen) return;
      if (isSessionEnd(err)) return endSession();
      img.hidden = true;
      img.removeAttribute('data-instance-id');
      $('viewer-error').hidden = false;
    }).then(function () {
      if (gen !== viewer.gen) return;
      clearTimeout(spinnerTimer);
      $('viewer-spinner').hidden = true;
    });
    prefetch(study, s, gen);
  }

  function prefetch(study, s, gen) {
    var order = [1, 2, 3, -1, 4, 5];
    order.forEach(function (d) {
      var j = viewer.index + d;
      if (j < 0 || j >= s.Instances.length) return;
      var preset = viewer.preset;
      limited(function () {
        if (gen !== viewer.gen || viewer.series !== s || !session) return null; // user moved on
        return getImage(study, s, s.Instances[j], preset);
      }).catch(function () { /* shown when displayed */ });
    });
  }

  function goTo(i) {
    var s = viewer.series;
    if (!s) return;
    var j = Math.max(0, Math.min(s.Instances.length - 1, i));
    if (j === viewer.index) return;
    viewer.index = j;
    showImage(currentStudy());
  }
  function step(d) { goTo(viewer.index + d); }

  function initViewer() {
    $('viewer-first').addEventListener('click', function () { goTo(0); });
    $('viewer-prev').addEventListener('click', function () { step(-1); });
    $('viewer-next').addEventListener('click', function () { step(1); });
    $('viewer-last').addEventListener('click', function () { goTo(Infinity); });

    var stage = $('viewer-stage');
    var acc = 0;
    var accTimer = null;
    stage.addEventListener('wheel', function (e) {
      if (!viewer.series || e.ctrlKey) return;
      e.preventDefault();
      var dy = e.deltaMode === 1 ? e.deltaY * 33 : e.deltaMode === 2 ? e.deltaY * 400 : e.deltaY;
      acc += dy;
      clearTimeout(accTimer);
      accTimer = setTimeout(function () { acc = 0; }, 250);
      if (Math.abs(acc) >= 50) { step(acc > 0 ? 1 : -1); acc = 0; }
    }, { passive: false });

    // Touch: horizontal swipe pages (left = next); a long drag pages continuously.
    var tx = null, ty = null;
    var SWIPE = 40;
    stage.addEventListener('touchstart', function (e) {
      if (e.touches.length !== 1) { tx = null; return; }
      tx = e.touches[0].clientX; ty = e.touches[0].clientY;
    }, { passive: true });
    stage.addEventListener('touchmove', function (e) {
      if (tx === null || e.touches.length !== 1) return;
      var dx = e.touches[0].clientX - tx;
      var dy = e.touches[0].clientY - ty;
      if (Math.abs(dx) >= SWIPE && Math.abs(dx) > Math.abs(dy) * 1.2) {
        step(dx < 0 ? 1 : -1);
        tx = e.touches[0].clientX; ty = e.touches[0].clientY;
      }
    }, { passive: true });
    stage.addEventListener('touchend', function () { tx = null; }, { passive: true });
    stage.addEventListener('touchcancel', function () { tx = null; }, { passive: true });

    document.addEventListener('keydown', function (e) {
      if (currentState !== 'study' || !viewer.series || e.altKey || e.ctrlKey || e.metaKey) return;
      var tg = e.target;
      var tag = tg && tg.tagName;
      if (tag === 'INPUT' || tag === 'SELECT' || tag === 'TEXTAREA' || (tg && tg.isContentEditable)) return;
      var n = viewer.series.Instances.length;
      switch (e.key) {
        case 'ArrowRight': case 'ArrowDown': case 'PageDown': step(1); break;
        case 'ArrowLeft': case 'ArrowUp': case 'PageUp': step(-1); break;
        case 'Home': goTo(0); break;
        case 'End': goTo(n - 1); break;
        default: return;
      }
      e.preventDefault();
    });
  }

  // ---------------------------------------------------------------- start
  function start() {
    initCodeForm();
    initChallengeForm();
    initRetryButtons();
    initViewer();
    $('lang-select').addEventListener('change', function (e) {
      var l = e.target.value;
      try { localStorage.setItem(LANG_KEY, l); } catch (err) { /* ignore */ }
      setLang(l);
    });
    // The open request runs while the strings load; its answer is shown once they are in.
    var pending = shareToken ? openShare(null) : null;
    setLang(pickLang()).then(function () {
      if (pending) pending.then(function (res) { handleOpen(res, false); });
      else showCode();
    });
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
