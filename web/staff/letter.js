// SPDX-License-Identifier: GPL-3.0-or-later
// StudyShare — the printable access letter. The Share dialog opens this page
// and hands it the letter of the share it just created (postMessage, same
// origin only): every sentence comes from the server in the share's language,
// so it says what the CLI's PDF says. The page's own words (toolbar) follow
// the staff's language.
(function () {
  'use strict';
  var PAPER_KEY = 'studyshare.letter.paper';
  var i18n = window.StudyShareStaffI18n;

  function byId(id) { return document.getElementById(id); }

  function setText(id, text) {
    var node = byId(id);
    node.textContent = text || '';
    node.hidden = !text;
  }

  function fillList(id, lines) {
    var list = byId(id);
    list.textContent = '';
    (lines || []).forEach(function (line) {
      var item = document.createElement('li');
      item.textContent = line;
      list.appendChild(item);
    });
    list.hidden = !list.children.length;
  }

  function render(id, letter) {
    var sheet = byId('sheet');
    sheet.lang = letter.Language || 'en';
    setText('hospital', letter.HospitalName);
    var logo = byId('logo');
    logo.hidden = !letter.HasLogo;
    if (letter.HasLogo) { logo.src = '../letter/logo'; }
    setText('title', letter.Title);
    setText('intro', letter.Intro);
    setText('study-heading', letter.StudyHeading);
    fillList('studies', letter.Studies);
    byId('study-box').hidden = !(letter.Studies || []).length;
    setText('open-heading', letter.OpenHeading);
    // The QR route encodes the short link when there is one, as QrLink does.
    byId('qr').src = '../shares/' + encodeURIComponent(id) + '/qr.svg';
    setText('qr-text', letter.QrText);
    setText('type-text', letter.TypeText);
    setText('typed-link', letter.TypedLink);
    byId('type-box').hidden = !letter.TypedLink;
    setText('code-text', letter.CodeText);
    setText('access-code', letter.AccessCode);
    byId('code-box').hidden = !letter.AccessCode;
    setText('code-page', letter.CodePageText);
    fillList('checks', letter.Checks);
    setText('validity', letter.Validity);
    setText('contact-heading', letter.ContactHeading);
    setText('contact', letter.Contact);
    byId('contact-box').hidden = !letter.Contact;
    setText('privacy', letter.Privacy);
    document.title = [letter.HospitalName, letter.Title].filter(Boolean).join(' — ');
    byId('waiting').hidden = true;
    sheet.hidden = false;
    document.body.setAttribute('data-state', 'ready');
  }

  function setPaper(paper) {
    paper = paper === 'letter' ? 'letter' : 'a4';
    byId('paper-css').setAttribute('href', 'paper-' + paper + '.css');
    byId('paper').value = paper;
    document.body.setAttribute('data-paper', paper);
    try { localStorage.setItem(PAPER_KEY, paper); } catch (e) { /* storage disabled */ }
  }

  var saved = null;
  try { saved = localStorage.getItem(PAPER_KEY); } catch (e) { /* storage disabled */ }
  setPaper(saved);
  byId('paper').addEventListener('change', function (event) { setPaper(event.target.value); });
  byId('print').addEventListener('click', function () { window.print(); });

  window.addEventListener('message', function (event) {
    var data = event.data;
    if (event.origin !== location.origin || event.source !== window.opener || !data ||
        data.type !== 'studyshare-letter' || !data.letter || typeof data.id !== 'string') { return; }
    render(data.id, data.letter);
  });
  var ask = function () {
    if (window.opener) { window.opener.postMessage({ type: 'studyshare-letter-ready' }, location.origin); }
  };
  // The toolbar's words first, so a printed page never shows a key.
  (i18n ? i18n.ready : Promise.resolve()).then(ask, ask);
})();
