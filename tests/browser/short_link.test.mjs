// SPDX-License-Identifier: GPL-3.0-or-later
// Browser test of issue 18, point 1: a short link ({PublicUrl}/s/#<key>) opened on a phone
// shows the study, the key leaves the address bar at once, and a reload resumes the tab's
// session; a wrong key says the link is not valid.
//
//   cd tests/browser && node --test --test-concurrency=1 short_link.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, copyFileSync, statSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Orthanc, makeFixtures, launchBrowser, closeBrowser, REPO } from './orthanc.mjs';

const SHOTS = join(REPO, 'test-artifacts', 'screenshots');
const DOCS_SHOTS = join(REPO, 'docs', 'screenshots');
const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, isMobile: true, hasTouch: true };

let orthanc = null;
let browser = null;
let fixturesDir = null;
let studyA = null;

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  fixturesDir = mkdtempSync(join(tmpdir(), 'studyshare-fixtures-'));
  const fx = makeFixtures(fixturesDir);
  orthanc = new Orthanc();
  const [b, o] = await Promise.allSettled([launchBrowser(), orthanc.start()]);
  if (b.status === 'fulfilled') browser = b.value;
  if (b.status === 'rejected') throw b.reason;
  if (o.status === 'rejected') throw o.reason;
  const a = fx.manifest.Studies.find((s) => s.Key === 'A');
  studyA = (await orthanc.upload(a.Files.map((f) => join(fixturesDir, f))))[0].ParentStudy;
});

after(async () => {
  await closeBrowser(browser).catch(() => {});
  if (orthanc) {
    await orthanc.stop().catch(() => {});
    if (!process.env.KEEP_ORTHANC) orthanc.cleanup();
  }
  if (fixturesDir) rmSync(fixturesDir, { recursive: true, force: true });
});

async function waitState(page, state, timeout = 15000) {
  try {
    await page.waitForFunction((s) => document.body.getAttribute('data-state') === s, state, { timeout, polling: 50 });
  } catch (e) {
    const actual = await page.evaluate(() => document.body.getAttribute('data-state')).catch(() => '?');
    throw new Error(`expected state "${state}", page is in state "${actual}"`);
  }
}

async function withPhone(fn) {
  const context = await browser.newContext({ locale: 'en-US', timezoneId: 'UTC', ...PHONE });
  try {
    return await fn(context);
  } finally {
    await context.close().catch(() => {});
  }
}

async function uses(id) {
  const r = await orthanc.request('GET', `/studyshare/shares/${id}`, { admin: true });
  assert.equal(r.status, 200);
  return r.json.Uses;
}

test('a short link opens the study on a phone, and its key leaves the address bar', async () => {
  const share = await orthanc.createShare({ Resources: [{ Level: 'Study', OrthancId: studyA }],
    ValidityDuration: 7 * 24 * 3600, Permissions: ['View'] });
  assert.match(share.ShortUrl, /\/s\/#[A-Za-z0-9_-]{22}$/);
  await withPhone(async (context) => {
    const page = await context.newPage();
    const sent = [];
    page.on('request', (req) => { if (req.url().endsWith('/share/api/open')) sent.push(req.postDataJSON()); });
    await page.goto(share.ShortUrl);
    await waitState(page, 'study');
    assert.deepEqual(Object.keys(sent[0]), ['Key'], 'the page opened with the key, not a token');
    assert.ok(!page.url().includes('#'), `the key is gone from the address bar: ${page.url()}`);
    assert.ok(page.url().endsWith('/s/'), page.url());
    assert.ok((await page.textContent('#patient-name')).trim().length > 0);
    await page.waitForFunction(() => [...document.querySelectorAll('img.thumb-img')].every((i) => i.complete && i.naturalWidth > 0));
    await page.screenshot({ path: join(SHOTS, 'short-link-phone.png'), animations: 'disabled', caret: 'hide' });
    mkdirSync(DOCS_SHOTS, { recursive: true });
    copyFileSync(join(SHOTS, 'short-link-phone.png'), join(DOCS_SHOTS, 'short-link-phone.png'));
    assert.ok(statSync(join(DOCS_SHOTS, 'short-link-phone.png')).size < 150 * 1024, 'docs screenshot under 150 KB');
    assert.equal(await uses(share.ID), 1);
    // A reload presents the tab's session: the study again, no use spent.
    await page.reload();
    await waitState(page, 'study');
    assert.equal(await uses(share.ID), 1);
  });
});

test('a short link whose key is wrong says the link is not valid', async () => {
  await withPhone(async (context) => {
    const page = await context.newPage();
    await page.goto(orthanc.url + '/s/#' + 'A'.repeat(22));
    await waitState(page, 'invalid');
  });
});
