// SPDX-License-Identifier: GPL-3.0-or-later
// Staff sign-in's `?next=`: after a successful sign-in the page goes only to a path
// on its own origin (issue 12, item 8). Each hostile value is tried in the real
// browser, whose URL parser is what an attacker relies on (it drops tabs and line
// breaks and reads '\' as '/').
//
//   cd tests/browser && STUDYSHARE_PLUGIN=.../libStudyShare.so node --test login_redirect.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Orthanc, launchBrowser, closeBrowser, ADMIN } from './orthanc.mjs';

let orthanc = null;
let browser = null;

before(async () => {
  orthanc = new Orthanc({});
  const [b, o] = await Promise.allSettled([launchBrowser(), orthanc.start()]);
  if (b.status === 'fulfilled') browser = b.value;
  if (b.status === 'rejected') throw b.reason;
  if (o.status === 'rejected') throw o.reason;
});

after(async () => {
  await closeBrowser(browser).catch(() => {});
  if (orthanc) {
    await orthanc.stop().catch(() => {});
    orthanc.cleanup();
  }
});

/** Signs in on the login page with `next` (already encoded) and returns where the page ends up. */
async function landingAfterSignIn(encodedNext) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    // Any navigation away from the Orthanc origin is stopped and recorded.
    const foreign = [];
    await context.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (url.origin !== orthanc.url) {
        foreign.push(url.href);
        return route.abort();
      }
      return route.continue();
    });
    await page.goto(`${orthanc.url}/studyshare/staff/?next=${encodedNext}`);
    await page.fill('#username', ADMIN.user);
    await page.fill('#password', ADMIN.password);
    await Promise.all([
      page.waitForFunction(
        () => !document.getElementById('signed-in').hidden || !location.pathname.startsWith('/studyshare/staff/'),
        null, { timeout: 15000 }).catch(() => {}),
      page.click('#login-submit'),
    ]);
    await page.waitForLoadState('load').catch(() => {});
    return { url: page.url(), foreign };
  } finally {
    await context.close().catch(() => {});
  }
}

const HOSTILE = [
  '%2F%09%2Fevil.example%2Fx', '%2F%0A%2Fevil.example%2Fx', '%2F%0D%2Fevil.example%2Fx',
  '/%09/evil.example/x', '/%0a/evil.example/x', '/%0d/evil.example/x',
  '//evil.example/x', '%2F%2Fevil.example', '/%5Cevil.example/x', '%5C%5Cevil.example',
  '/%5C/evil.example', 'https://evil.example/', 'javascript:alert(1)', '%20//evil.example',
  '/%00/evil.example', 'evil.example/x',
];

for (const next of HOSTILE) {
  test(`next=${next} stays on this origin`, async () => {
    const { url, foreign } = await landingAfterSignIn(next);
    assert.deepEqual(foreign, [], `the browser tried to leave for ${foreign}`);
    assert.equal(new URL(url).origin, orthanc.url);
    assert.match(new URL(url).pathname, /^\/studyshare\/staff\//, `landed on ${url}`);
  });
}

test('a same-origin path is followed', async () => {
  const { url, foreign } = await landingAfterSignIn(encodeURIComponent('/studyshare/staff/shares.html?x=1#y'));
  assert.deepEqual(foreign, []);
  assert.equal(url, `${orthanc.url}/studyshare/staff/shares.html?x=1#y`);
});

// Orthanc Explorer opened without signing in (issue 20 point 2, issue 14
// point 10): Orthanc 1.10.1's filter can only refuse with an empty 403, so the
// Explorer's shell is public and its first refused call sends the browser to
// the sign-in page, which brings it back to the same Explorer page.
test('Orthanc Explorer without signing in goes to the sign-in page and comes back', async () => {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const start = `${orthanc.url}/app/explorer.html#find-patients`;
    await page.goto(start);
    await page.waitForURL(/\/studyshare\/staff\/\?next=/, { timeout: 15000 });
    const next = new URL(page.url()).searchParams.get('next');
    assert.equal(next, '/app/explorer.html#find-patients');
    await page.fill('#username', ADMIN.user);
    await page.fill('#password', ADMIN.password);
    await Promise.all([
      page.waitForURL(/\/app\/explorer\.html/, { timeout: 15000 }),
      page.click('#login-submit'),
    ]);
    assert.equal(page.url(), start);
    // Signed in now: the Explorer works and stays (no second trip to sign-in).
    await page.waitForSelector('#find-patients', { timeout: 15000 });
    const system = await page.evaluate(async () => (await fetch('../system', { credentials: 'same-origin' })).status);
    assert.equal(system, 200);
    assert.match(page.url(), /\/app\/explorer\.html/);
  } finally {
    await context.close().catch(() => {});
  }
});

test('the server root leads a browser that is not signed in to the sign-in page', async () => {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(`${orthanc.url}/`);
    await page.waitForURL(/\/studyshare\/staff\/\?next=/, { timeout: 15000 });
    assert.match(new URL(page.url()).searchParams.get('next'), /^\/app\/explorer\.html/);
  } finally {
    await context.close().catch(() => {});
  }
});
