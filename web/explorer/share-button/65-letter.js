// SPDX-License-Identifier: GPL-3.0-or-later
// "Print a letter…": the access letter opens in a page of its own (the staff
// pages' letter.html), which prints on one A4 or Letter sheet. The letter
// carries the access code, shown only once: it is handed to that page by
// postMessage, to that window and origin only, never put in its URL.
var LETTER_PAGE = ROOT + 'studyshare/staff/letter.html';

function openLetter(share) {
  var page = window.open(LETTER_PAGE, '_blank');
  if (!page) {  // a pop-up blocker: say so where the result's notes appear
    var note = byId('ss-copied');
    note.textContent = T('dialog.letterBlocked');
    note.hidden = false;
    return;
  }
  // The page says when it is ready (again after a reload): it gets the letter then.
  window.addEventListener('message', function (event) {
    if (event.source !== page || event.origin !== location.origin || !event.data ||
        event.data.type !== 'studyshare-letter-ready') { return; }
    page.postMessage({ type: 'studyshare-letter', id: share.ID, letter: share.Letter }, location.origin);
  });
}
