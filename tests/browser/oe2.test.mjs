// SPDX-License-Identifier: GPL-3.0-or-later
// Orthanc Explorer 2 1.14.1 beside StudyShare, in headless Chromium, on Orthanc 1.12.3
// (Orthanc Explorer 2 needs 1.11 or later, so this file always starts the newer server),
// in the configuration docs/token-service.md documents: a member of staff opens /ui/app/,
// is sent to the sign-in page, comes back, presses Share on a study, and gets a link;
// a recipient opens that link and sees the study, described by Orthanc's tags.
// Writes docs/screenshots/oe2-share-dialog.png and docs/screenshots/oe2-recipient.png.
// Fails (never skips) when a build of ../shared/third_party/ is missing.
//
//   cd tests/browser && STUDYSHARE_PLUGIN=.../libStudyShare.so node --test oe2.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import {
  Orthanc, launchBrowser, closeBrowser, makeFixtures, ADMIN, PLUGINS_DIR, STUDYSHARE_PLUGIN,
  NEWER_ORTHANC, OE2_PLUGIN, AUTHORIZATION_PLUGIN,
} from './orthanc.mjs';
import { shot, SHOTS } from './suite.mjs';

const SHARE_TYPE = 'stone-viewer-publication';

let orthanc = null;
let browser = null;
let fixtures = null;
const made = { url: null, studyId: null, patientName: null };

before(async () => {
  for (const build of [NEWER_ORTHANC, OE2_PLUGIN, AUTHORIZATION_PLUGIN]) {
    if (!existsSync(build)) throw new Error(`Orthanc Explorer 2's test needs ${build} (see ../shared/third_party/README.md)`);
  }
  mkdirSync(SHOTS, { recursive: true });
  fixtures = makeFixtures(mkdtempSync(join(tmpdir(), 'studyshare-oe2-fixtures-')));
  orthanc = new Orthanc({
    binary: NEWER_ORTHANC,
    // StudyShare before Orthanc Explorer 2 and the authorization plugin: its routes answer first.
    plugins: [join(PLUGINS_DIR, 'libOrthancDicomWeb.so'), STUDYSHARE_PLUGIN, OE2_PLUGIN, AUTHORIZATION_PLUGIN],
    config: {
      Authorization: { WebServiceTokenCreationBaseUrl: 'http://127.0.0.1:9/studyshare-answers-first/' },
      OrthancExplorer2: {
        UiOptions: { EnableShares: true, ShareDuration: 7, StudyListContentIfNoSearch: 'most-recents' },
        Tokens: { ShareType: SHARE_TYPE },
      },
    },
  });
  const [b, o] = await Promise.allSettled([launchBrowser(), orthanc.start()]);
  if (b.status === 'fulfilled') browser = b.value;
  if (b.status === 'rejected') throw b.reason;
  if (o.status === 'rejected') throw o.reason;
  const uploaded = await orthanc.upload(fixtures.files);
  made.studyId = uploaded[0].ParentStudy;
  const study = await orthanc.request('GET', `/studies/${made.studyId}`, { admin: true });
  made.patientName = study.json.PatientMainDicomTags.PatientName;
  made.studyDescription = study.json.MainDicomTags.StudyDescription;
});

after(async () => {
  await closeBrowser(browser).catch(() => {});
  if (orthanc) {
    await orthanc.stop().catch(() => {});
    orthanc.cleanup();
  }
});

test('1. staff are sent to the sign-in page, sign in, and share a study from Orthanc Explorer 2', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    const page = await context.newPage();
    const tokenCalls = [];
    page.on('response', (r) => {
      if (r.url().includes('/auth/tokens/') && r.request().method() === 'PUT') tokenCalls.push(r.status());
    });
    const first = await page.goto(`${orthanc.url}/ui/app/`);
    assert.equal(first.status(), 200);
    assert.match(new URL(page.url()).pathname, /^\/studyshare\/staff\//, `landed on ${page.url()}, not the sign-in page`);
    await page.fill('#username', ADMIN.user);
    await page.fill('#password', ADMIN.password);
    await Promise.all([
      page.waitForURL((u) => u.pathname.startsWith('/ui/app'), { timeout: 60000, waitUntil: 'commit' }),
      page.click('#login-submit'),
    ]).catch(async (e) => {
      await page.screenshot({ path: join(SHOTS, 'oe2-sign-in-failed.png') });
      throw new Error(`sign-in did not come back to /ui/app/ (at ${page.url()}): ${e.message}`);
    });

    // The study list, then the study's row, then its Share button.
    const row = page.locator('tr', { hasText: made.patientName.replace('^', ' ') }).or(page.locator('tr', { hasText: made.patientName }));
    await row.first().waitFor({ timeout: 60000 }).catch(async (e) => {
      await page.screenshot({ path: join(SHOTS, 'oe2-study-list-failed.png') });
      throw e;
    });
    await page.locator('.study-table tbody tr').filter({ hasText: made.studyDescription || '' }).first().click();
    const share = page.locator(`button[data-bs-target="#share-modal-${made.studyId}"]`);
    await share.waitFor({ state: 'visible', timeout: 15000 });
    await share.click();
    const modal = page.locator(`#share-modal-${made.studyId}`);
    await modal.waitFor({ state: 'visible', timeout: 15000 });
    // The dialog asks for the link as soon as it opens and shows it.
    await page.waitForFunction((id) => [...document.querySelectorAll(`#share-modal-${id} input, #share-modal-${id} textarea`)]
      .some((i) => /\/share\/#token=/.test(i.value)), made.studyId, { timeout: 15000 });
    made.url = await modal.evaluate((m) => [...m.querySelectorAll('input, textarea')].map((i) => i.value)
      .find((v) => /\/share\/#token=/.test(v)));
    assert.ok(tokenCalls.length >= 1 && tokenCalls.every((s) => s === 200), `PUT /auth/tokens answers: ${tokenCalls}`);
    assert.ok(made.url.startsWith(`${orthanc.url}/share/#token=`), made.url);
    await shot(page, 'oe2-share-dialog', { docs: true });
  } finally {
    await context.close().catch(() => {});
  }
  const shares = await orthanc.request('GET', '/studyshare/shares', { admin: true });
  const mine = shares.json.filter((s) => s.TokenType === SHARE_TYPE);
  assert.ok(mine.length >= 1, JSON.stringify(shares.json));
  assert.equal(mine[0].CreatedBy, ADMIN.user);
  assert.equal(mine[0].Studies[0].PatientName, made.patientName);
});

test('2. the recipient opens the link made in Orthanc Explorer 2 and sees the study', async () => {
  assert.ok(made.url, 'test 1 made no link');
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    const page = await context.newPage();
    await page.goto(made.url);
    await page.waitForFunction(() => {
      const s = document.getElementById('state-study');
      return s && !s.hidden;
    }, null, { timeout: 20000 });
    await page.waitForFunction(() => {
      const img = document.getElementById('viewer-image');
      return img && !img.hidden && img.complete && img.naturalWidth > 0;
    }, null, { timeout: 20000 });
    const text = await page.locator('#state-study').innerText();
    assert.ok(!/Not provided/i.test(text), `the study page says "Not provided":\n${text}`);
    const shown = made.patientName.split('^').filter(Boolean);
    assert.ok(shown.every((part) => text.includes(part)), `patient name ${made.patientName} not on the page:\n${text}`);
    await shot(page, 'oe2-recipient', { docs: true });
  } finally {
    await context.close().catch(() => {});
  }
});
