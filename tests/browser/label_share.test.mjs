// SPDX-License-Identifier: GPL-3.0-or-later
// A share by label ({"Level": "Label"}) on the recipient page, in headless Chromium:
// the page lists the studies carrying the label when it is opened, in its study
// picker, and says so when none carries it. Labels exist from Orthanc 1.12 on: on
// an older server (Debian's 1.10.1 pass) the file is skipped with its reason.
//
//   cd tests/browser && STUDYSHARE_ORTHANC=.../orthanc-1.12.3/Orthanc node --test label_share.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Orthanc, makeFixtures, launchBrowser, closeBrowser, ORTHANC_BINARY } from './orthanc.mjs';

const VERSION = execFileSync(ORTHANC_BINARY, ['--version']).toString().split('\n')[0].trim().split(/\s+/).pop();
const [MAJOR, MINOR] = VERSION.split('.').map((part) => parseInt(part, 10));
const HAS_LABELS = MAJOR > 1 || (MAJOR === 1 && MINOR >= 12);
const SKIP = HAS_LABELS ? false
  : `LOUD: Orthanc ${VERSION} has no labels; this file runs on 1.12.3 (STUDYSHARE_ORTHANC=../shared/third_party/orthanc-1.12.3/Orthanc)`;

let orthanc = null;
let browser = null;
let fixturesDir = null;
const studies = {};  // Orthanc IDs by fixture key

before(async () => {
  if (SKIP) return;
  fixturesDir = mkdtempSync(join(tmpdir(), 'studyshare-label-fixtures-'));
  const fx = makeFixtures(fixturesDir);
  orthanc = new Orthanc();
  const [b, o] = await Promise.allSettled([launchBrowser(), orthanc.start()]);
  if (b.status === 'fulfilled') browser = b.value;
  if (b.status === 'rejected') throw b.reason;
  if (o.status === 'rejected') throw o.reason;
  for (const study of fx.manifest.Studies) {
    const answers = await orthanc.upload(study.Files.map((f) => join(fixturesDir, f)));
    studies[study.Key] = answers[0].ParentStudy;
  }
});

after(async () => {
  await closeBrowser(browser).catch(() => {});
  if (orthanc) {
    await orthanc.stop().catch(() => {});
    orthanc.cleanup();
  }
  if (fixturesDir) rmSync(fixturesDir, { recursive: true, force: true });
});

async function label(key, present) {
  const r = await orthanc.request(present ? 'PUT' : 'DELETE', `/studies/${studies[key]}/labels/teaching`,
    { admin: true, body: '' });
  assert.equal(r.status, 200, `label of study ${key}: ${r.body}`);
}

async function openPage(url) {
  const context = await browser.newContext({ locale: 'en-US', timezoneId: 'UTC' });
  const page = await context.newPage();
  await page.goto(url);
  return { context, page };
}

async function waitState(page, state) {
  await page.waitForFunction((s) => document.body.getAttribute('data-state') === s, state, { timeout: 15000 });
}

test('the recipient page lists the studies carrying the label, and none when none does', { skip: SKIP }, async () => {
  await label('A', true);
  await label('C', true);
  const share = await orthanc.createShare({ Resources: [{ Level: 'Label', Label: 'teaching' }], ValidityDuration: 3600 });
  let { context, page } = await openPage(share.Url);
  try {
    await waitState(page, 'study');
    assert.ok(await page.isVisible('#study-picker'), 'the study picker is shown for two studies');
    assert.equal(await page.locator('#study-picker-list button').count(), 2);
    assert.ok(!(await page.isVisible('#study-picker-truncated')));
    // the second study opens in the page, with its own facts
    const first = (await page.textContent('#patient-name')).trim();
    await page.click('#study-picker-list button[data-study-index="1"]');
    await page.waitForFunction((name) => document.getElementById('patient-name').textContent.trim() !== name,
      first, { timeout: 15000 });
    await page.waitForFunction(() => {
      const img = document.getElementById('viewer-image');
      return img && !img.hidden && img.complete && img.naturalWidth > 0;
    }, null, { timeout: 15000 });
  } finally {
    await context.close();
  }

  await label('A', false);
  await label('C', false);
  ({ context, page } = await openPage(share.Url));
  try {
    await waitState(page, 'no-labelled-study');
    assert.match(await page.textContent('#state-no-labelled-study h1'), /No study to show yet/);
  } finally {
    await context.close();
  }
});
