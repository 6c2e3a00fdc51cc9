// SPDX-License-Identifier: GPL-3.0-or-later
// Sign-in for a browser that is not signed in. Orthanc Explorer's shell is
// public (it carries no patient data), but every API call it makes is refused
// with 403 and an empty body: Orthanc 1.10.1's request filter can answer
// nothing else, so no 401 challenge reaches the browser. The first refusal
// asks StudyShare who is signed in; when nobody is, the browser goes to the
// sign-in page, which brings it back here afterwards (?next=, same origin
// only). A signed-in sharer's refusals stay refusals: they are the role's.
var signInQuestionPending = false;

function sendToSignInUnlessSignedIn() {
  if (signInQuestionPending || !window.fetch) { return; }
  signInQuestionPending = true;
  fetch(ROOT + 'studyshare/api/me', { credentials: 'same-origin', headers: { Accept: 'application/json' } })
    .then(function (answer) {
      if (answer.status === 401 || answer.status === 403) {
        var here = location.pathname + location.search + location.hash;
        location.replace(LOGIN_PAGE + '?next=' + encodeURIComponent(here));
        return;
      }
      signInQuestionPending = false;
    }, function () { signInQuestionPending = false; });
}

if (window.jQuery) {
  window.jQuery(document).ajaxError(function (event, xhr) {
    if (xhr && (xhr.status === 401 || xhr.status === 403)) { sendToSignInUnlessSignedIn(); }
  });
}
