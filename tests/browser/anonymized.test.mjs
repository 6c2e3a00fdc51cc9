// SPDX-License-Identifier: GPL-3.0-or-later
// Browser test of issue 15: an anonymized share opened on a phone opens the
// pseudonymized copy (after the "being prepared" page while Orthanc's two jobs run); the copy is shown by the built-in viewer and the Orthanc Web Viewer with
// no trace of the patient's name; the Share dialog warns what anonymization leaves.
//
//   cd tests/browser && node --test --test-concurrency=1 anonymized.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN } from './orthanc.mjs';
import { useSuite, waitState, shot, DESKTOP, PHONE, waitCanvasImage } from './suite.mjs';

const env = useSuite({ upload: ['A'] });

// Every data-state the page goes through, recorded in the page from its first script on.
const RECORD_STATES = `window.__states = [];
  new MutationObserver(() => {
    const s = document.body && document.body.getAttribute('data-state');
    if (s && window.__states[window.__states.length - 1] !== s) window.__states.push(s);
  }).observe(document, { attributes: true, subtree: true, attributeFilter: ['data-state'] });`;

const imagesDrawn = () => [...document.querySelectorAll('img.thumb-img')].every((i) => i.complete && i.naturalWidth > 0);

// Whether the page is still on "being prepared" when it first asks depends on how fast
// Orthanc's two jobs finish (a two-image study takes about a second): the states seen are
// reported; the page must end on the copy either way (the waiting itself is
// tests/integration/test_anonymized_shares.py's).
test('an anonymized share opens on the pseudonymized copy in the built-in viewer, by itself once ready', async (t) => {
  const share = await env.orthanc.createShare({ Resources: [{ Level: 'Study', OrthancId: env.ids.study.A }],
    ValidityDuration: 3600, Permissions: ['View'], Anonymize: true });
  await env.withContext(PHONE, async (context) => {
    await context.addInitScript(RECORD_STATES);
    const page = await context.newPage();
    await page.goto(share.Url);
    await waitState(page, 'study', 120000);
    t.diagnostic(`states: ${await page.evaluate(() => window.__states.join(' → '))}`);
    const name = (await page.textContent('#patient-name')).trim();
    assert.match(name, /^ANONYMIZED/, `the pseudonym is shown: ${name}`);
    const body = await page.textContent('body');
    for (const identifying of ['DOE', 'JANE']) {
      assert.ok(!body.includes(identifying), `the page shows "${identifying}"`);
    }
    await page.waitForFunction(imagesDrawn, null, { timeout: 30000 });
    await shot(page, 'anonymized-study', { docs: true });
  });
  const stored = await env.orthanc.request('GET', `/studyshare/shares/${share.ID}`, { admin: true });
  assert.equal(stored.json.Anonymization.State, 'Ready');
  assert.notEqual(stored.json.Studies[0].OrthancId, env.ids.study.A, 'the share names the copy');
});

test('the Orthanc Web Viewer shows the anonymized copy with the session, and nothing is refused', async () => {
  const share = await env.orthanc.createShare({ Resources: [{ Level: 'Study', OrthancId: env.ids.study.A }],
    ValidityDuration: 3600, Permissions: ['View'], Anonymize: true });
  await env.withContext(DESKTOP, async (context) => {
    const refused = [];
    context.on('response', (r) => { if (r.url().includes('/web-viewer/') && r.status() >= 400) refused.push(r.url()); });
    const page = await context.newPage();
    await page.goto(share.Url);
    await waitState(page, 'study', 120000);
    const button = page.locator('button[data-viewer="webviewer"]').first();
    const copySeries = await button.getAttribute('data-series-id');
    assert.ok(!env.ids.series.A.includes(copySeries), 'the viewer is given the copy\'s series');
    const [viewer] = await Promise.all([context.waitForEvent('page'), button.click()]);
    await viewer.waitForLoadState('domcontentloaded');
    assert.ok(viewer.url().includes(copySeries), viewer.url());
    await waitCanvasImage(viewer);
    assert.deepEqual(refused, [], 'no Web Viewer request was refused');
  });
});

test('the Share dialog warns what an anonymized copy keeps when Anonymize is ticked', async () => {
  await env.withContext(DESKTOP, async (context) => {
    const page = await context.newPage();
    await page.goto(`${env.orthanc.url}/studyshare/staff/`);
    await page.fill('#username', ADMIN.user);
    await page.fill('#password', ADMIN.password);
    await page.click('#login-submit');
    await page.waitForSelector('#signed-in', { state: 'visible' });
    await page.goto(`${env.orthanc.url}/app/explorer.html#study?uuid=${env.ids.study.A}`);
    await page.waitForSelector('#studyshare-share-study', { state: 'visible', timeout: 15000 });
    await page.click('#studyshare-share-study');
    await page.waitForSelector('#studyshare-dialog', { state: 'visible' });
    assert.ok(!(await page.isVisible('#ss-anonymize-warning')), 'no warning before Anonymize is ticked');
    await page.check('#ss-anonymize');
    await page.waitForSelector('#ss-anonymize-warning', { state: 'visible' });
    assert.ok((await page.textContent('#ss-anonymize-warning')).trim().length > 20, 'the warning says something');
    await page.locator('#ss-anonymize-warning').scrollIntoViewIfNeeded();
    await shot(page.locator('#studyshare-dialog .ss-panel'), 'dialog-anonymize-warning', { docs: true });
  });
});
