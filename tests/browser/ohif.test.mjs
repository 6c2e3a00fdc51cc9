// SPDX-License-Identifier: GPL-3.0-or-later
// OHIF for share recipients, in Debian's headless Chromium (WebGL through SwiftShader)
// against a real Orthanc 1.10.1 with the DICOMweb, Web Viewer and StudyShare plugins.
//
//   scripts/install-ohif.sh            # once; or set STUDYSHARE_OHIF_DIR
//   cd tests/browser && node --test --test-concurrency=1 ohif.test.mjs
//
// Checks that OHIF, served by the plugin under /ohif, draws a shared study (real CT and
// MR from pydicom, synthetic CT), that every DICOMweb request carried the session as
// `Authorization: Bearer`, that nothing left 127.0.0.1, that the gate's refusals of
// OHIF's prior-studies queries do not keep the image from showing, and that a session
// for another study gets nothing. Screenshot: docs/screenshots/ohif-shared-study.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Orthanc, makeFixtures, closeBrowser, REPO } from './orthanc.mjs';
import {
  OHIF_DIR, PYDICOM_FILES, ohifInstalled, launchWebglBrowser, recordRequests, viewportStats, isDrawn,
  waitForImage, screenshotStats, visibleMessages,
} from './ohif-support.mjs';

const DOCS_SHOT = join(REPO, 'docs', 'screenshots', 'ohif-shared-study.png');
const ARTIFACTS = join(REPO, 'test-artifacts', 'ohif');
const DESKTOP = { viewport: { width: 1152, height: 720 }, deviceScaleFactor: 1, locale: 'en-US', timezoneId: 'UTC' };

// Never skipped: without OHIF every test here fails with this reason.
const skip = false;
if (!ohifInstalled()) {
  throw new Error(`OHIF is not installed in ${OHIF_DIR} (run scripts/install-ohif.sh)`);
}

let orthanc = null;
let browser = null;
let fixturesDir = null;
let manifest = null;
const uid = {};   // StudyInstanceUIDs: A (synthetic CT, patient with a second study), C, CT (CT_small), MR (MR_small)

before(async () => {
  if (skip) return;
  mkdirSync(ARTIFACTS, { recursive: true });
  fixturesDir = mkdtempSync(join(tmpdir(), 'studyshare-ohif-fixtures-'));
  const fx = makeFixtures(fixturesDir);
  manifest = fx.manifest;
  orthanc = new Orthanc({ studyShare: { Ohif: { Folder: OHIF_DIR } } });
  const [b, o] = await Promise.allSettled([launchWebglBrowser(), orthanc.start()]);
  if (b.status === 'fulfilled') browser = b.value;
  if (b.status === 'rejected') throw b.reason;
  if (o.status === 'rejected') throw o.reason;
  await orthanc.upload(fx.files);
  const extra = await orthanc.upload([join(PYDICOM_FILES, 'CT_small.dcm'), join(PYDICOM_FILES, 'MR_small.dcm')]);
  for (const s of manifest.Studies) uid[s.Key] = s.StudyInstanceUID;
  const studyUid = async (orthancStudyId) => (await get(`/studies/${orthancStudyId}`, { admin: true })).json.MainDicomTags.StudyInstanceUID;
  uid.CT = await studyUid(extra[0].ParentStudy);
  uid.MR = await studyUid(extra[1].ParentStudy);
});

after(async () => {
  if (sharedContext) await sharedContext.close().catch(() => {});
  await closeBrowser(browser).catch(() => {});
  if (orthanc) {
    await orthanc.stop().catch(() => {});
    if (!process.env.KEEP_ORTHANC) orthanc.cleanup();
  }
  if (fixturesDir) rmSync(fixturesDir, { recursive: true, force: true });
});

// ------------------------------------------------------------------ helpers
/**
 * GET through the Orthanc helper, tried a second time if the connection fails: under
 * load, Orthanc's HTTP server may close an idle keep-alive connection just as the
 * client reuses it ("fetch failed"). A GET has no side effect, so a retry is safe.
 */
async function get(path, options = {}) {
  try {
    return await orthanc.request('GET', path, options);
  } catch (e) {
    if (!(e instanceof TypeError)) throw e;
    return orthanc.request('GET', path, options);
  }
}

async function rawGet(path) {
  const once = async () => { const r = await fetch(orthanc.url + path); return { status: r.status, text: await r.text() }; };
  try { return await once(); } catch (e) { if (!(e instanceof TypeError)) throw e; return once(); }
}

async function shareAndOpen(studyUid) {
  const share = await orthanc.createShare({ Resources: [{ Level: 'Study', DicomUid: studyUid }], ValidityDuration: 3600, Permissions: ['View'] });
  const opened = await orthanc.open({ Token: share.Token });
  assert.equal(opened.status, 200, `open: ${opened.body}`);
  assert.ok(opened.json.Viewers?.ohif, `the open answer offers OHIF: ${JSON.stringify(opened.json.Viewers)}`);
  return { share, session: opened.json.SessionToken };
}

const viewerUrl = (studyUid, session) =>
  `${orthanc.url}/ohif/viewer?StudyInstanceUIDs=${encodeURIComponent(studyUid)}&token=${encodeURIComponent(session)}`;

// One browser context for all tests, as one recipient's browser would be: the first
// test meets a cold cache (that is the time reported), later ones reuse the cached
// build. Each test starts from a fresh request log and closes its pages.
let sharedContext = null;
let sharedRequests = null;
const pageErrors = [];
async function withContext(fn) {
  if (!sharedContext) {
    sharedContext = await browser.newContext(DESKTOP);
    sharedRequests = recordRequests(sharedContext);
    sharedContext.on('page', (p) => p.on('pageerror', (e) => pageErrors.push(e.message)));
  }
  sharedRequests.reset();
  pageErrors.length = 0;
  try {
    return await fn(sharedContext, sharedRequests, pageErrors);
  } finally {
    for (const p of sharedContext.pages()) await p.close().catch(() => {});
  }
}

/** Every DICOMweb request carried exactly this session; none went anywhere but Orthanc. */
function assertRequestHygiene(requests, session) {
  const dicomWeb = requests.dicomWeb();
  assert.ok(dicomWeb.length > 0, 'OHIF made DICOMweb requests');
  const unauthenticated = dicomWeb.filter((r) => r.authorization !== `Bearer ${session}`);
  assert.deepEqual(unauthenticated.map((r) => r.url), [], 'every DICOMweb request carries the session as a Bearer token');
  assert.deepEqual(requests.offOrigin(orthanc.url).map((r) => r.url), [], 'no request left 127.0.0.1');
  return dicomWeb;
}

/** Opens a study in OHIF in a fresh page, waits for the first drawn image. */
async function openAndRender(context, studyUid, session) {
  const page = await context.newPage();
  const t0 = Date.now();
  await page.goto(viewerUrl(studyUid, session), { waitUntil: 'commit' });
  const first = await waitForImage(page, t0);
  const shown = await screenshotStats(page);
  assert.ok(isDrawn(shown), `the viewport on screen is not one colour: ${JSON.stringify(shown)}`);
  return { page, first, shown };
}

// ------------------------------------------------------------------ tests
test('the plugin serves the OHIF build under /ohif with a generated app-config.js', { skip }, async () => {
  const config = await get('/ohif/app-config.js');
  assert.equal(config.status, 200);
  assert.equal(config.headers.get('cache-control'), 'no-store');
  const js = config.body.toString();
  assert.match(js, /routerBasename: '\/ohif'/);
  assert.match(js, /showStudyList: false/);
  assert.match(js, /investigationalUseDialog: \{ option: 'never' \}/);
  assert.match(js, /'ohif\.tours': \{ \$set: \[\] \}/);
  assert.match(js, /window\.location\.origin \+ '\/dicom-web'/);
  assert.doesNotMatch(js, /https?:\/\//, 'no absolute URL in the generated configuration');
  assert.doesNotMatch(js, /cloudfront|localhost/, 'never the stock configuration');

  const index = await get('/ohif/viewer');   // a route of the single-page app
  assert.equal(index.status, 200);
  assert.match(index.headers.get('content-type'), /^text\/html/);
  assert.equal(index.headers.get('cache-control'), 'no-store');
  const html = index.body.toString();
  assert.match(html, /window\.PUBLIC_URL = '\/ohif\/'/);
  assert.match(html, /src="\/ohif\/app-config\.js"/);
  assert.doesNotMatch(html, /(href|src)="\/(?!ohif\/)/, 'every absolute URL of index.html is under /ohif/');

  const bundle = html.match(/src="\/ohif\/(app\.bundle\.[0-9a-f]+\.js)"/);
  assert.ok(bundle, 'index.html loads the app bundle');
  const js2 = await get(`/ohif/${bundle[1]}`);
  assert.equal(js2.status, 200);
  assert.match(js2.headers.get('content-type'), /^text\/javascript/);
  assert.match(js2.headers.get('cache-control'), /immutable/);
  assert.ok(js2.body.includes('__webpack_require__.p = "/ohif/";'), "webpack's public path moved under /ohif/");

  const css = await get('/ohif/app.bundle.css');
  assert.equal(css.status, 200);
  assert.doesNotMatch(css.body.toString(), /url\(\/(?!ohif\/)/, 'fonts are loaded from under /ohif/');

  const wasm = await get('/ohif/ort/ort-wasm.wasm');
  assert.equal(wasm.status, 200);
  assert.equal(wasm.headers.get('content-type'), 'application/wasm');

  assert.equal((await get('/ohif/no-such-chunk.js')).status, 404, 'a missing asset is a 404, not index.html');
  for (const evil of ['/ohif/../../etc/passwd', '/ohif/%2e%2e/%2e%2e/etc/passwd', '/ohif/assets/..%2f..%2f..%2fetc%2fpasswd', '/ohif/..%5c..%5cetc%5cpasswd']) {
    const r = await rawGet(evil);
    assert.ok(!r.text.includes('root:'), `${evil} must not leave the folder (HTTP ${r.status})`);
  }
  // Static files need no token; DICOMweb always does.
  assert.ok((await get(`/dicom-web/studies/${uid.A}/series`)).status >= 400, 'DICOMweb without a token is refused');
});

test('a shared real CT opens in OHIF: drawn, every DICOMweb request with the session, nothing off-host', { skip }, async (t) => {
  const { session } = await shareAndOpen(uid.CT);
  await withContext(async (context, requests, pageErrors) => {
    const { page, first, shown } = await openAndRender(context, uid.CT, session);
    const msg = `OHIF: first image of the shared CT series (CT_small, cold cache) drawn ${first.ms} ms after navigation`;
    t.diagnostic(msg);
    console.log(msg);
    writeFileSync(join(ARTIFACTS, 'time-to-first-image.txt'), `${first.ms}\n`);
    assert.ok(!page.url().includes('token='), `OHIF removes the token from the address bar: ${page.url()}`);
    await sleep(1500);   // let the remaining requests (other series, prior studies) happen
    const dicomWeb = assertRequestHygiene(requests, session);
    const refused = dicomWeb.filter((r) => r.status === 403);
    t.diagnostic(`CT: ${dicomWeb.length} DICOMweb requests, refused: ${refused.map((r) => decodeURIComponent(new URL(r.url).search)).join(' | ') || 'none'}`);
    t.diagnostic(`CT canvas ${JSON.stringify(first.stats)}; on screen ${JSON.stringify(shown)}; page errors: ${pageErrors.length}`);

    await page.screenshot({ path: DOCS_SHOT });
    const size = statSync(DOCS_SHOT).size;
    assert.ok(size < 200 * 1000, `screenshot is ${size} bytes`);
  });
});

test('a shared real MR opens in OHIF and is drawn', { skip }, async (t) => {
  const { session } = await shareAndOpen(uid.MR);
  await withContext(async (context, requests) => {
    const { page, first } = await openAndRender(context, uid.MR, session);
    t.diagnostic(`MR: first image after ${first.ms} ms, canvas ${JSON.stringify(first.stats)}`);
    await sleep(1000);
    assertRequestHygiene(requests, session);
    await page.screenshot({ path: join(ARTIFACTS, 'ohif-mr.png') });
  });
});

test("OHIF's prior-studies query is refused by the gate and the shared study still renders", { skip }, async (t) => {
  // Study A's patient also has study B: OHIF asks QIDO for all studies of the patient.
  const { session } = await shareAndOpen(uid.A);
  await withContext(async (context, requests) => {
    const { page, first } = await openAndRender(context, uid.A, session);
    // Wait for the prior-studies query's answer if it has not come yet.
    const deadline = Date.now() + 10000;
    const priorQueries = () => requests.dicomWeb().filter((r) => {
      const u = new URL(r.url);
      return u.pathname === '/dicom-web/studies' && !u.searchParams.has('StudyInstanceUID') && r.status !== null;
    });
    while (priorQueries().length === 0 && Date.now() < deadline) await sleep(100);
    await sleep(1000);
    const dicomWeb = assertRequestHygiene(requests, session);
    const refused = dicomWeb.filter((r) => r.status === 403);
    const priors = priorQueries();
    assert.ok(priors.length > 0, 'OHIF asked for the other studies of the patient');
    for (const p of priors) assert.equal(p.status, 403, `the gate refuses ${p.url}`);
    assert.ok(dicomWeb.some((r) => r.status === 200 && /\/frames\//.test(r.url)), 'frames of the shared study were served');
    // Still drawn after the refusals, and the shared study's two series are listed.
    assert.ok(isDrawn(await viewportStats(page)), 'the image stays on screen after the refusals');
    const messages = await visibleMessages(page);
    t.diagnostic(`refused (403): ${refused.map((r) => `${new URL(r.url).pathname}${decodeURIComponent(new URL(r.url).search)}`).join(' | ')}`);
    t.diagnostic(`what OHIF shows after the refusals: ${messages.length ? messages.join(' / ') : 'no message, no error panel'}; first image after ${first.ms} ms`);
    await page.screenshot({ path: join(ARTIFACTS, 'ohif-prior-refused.png') });
  });
});

test('a session for another study gets nothing in OHIF', { skip }, async (t) => {
  const { session } = await shareAndOpen(uid.C);   // another patient's study
  await withContext(async (context, requests) => {
    const page = await context.newPage();
    await page.goto(viewerUrl(uid.A, session), { waitUntil: 'commit' });
    // Wait for OHIF to have asked and been answered, then some more.
    const deadline = Date.now() + 30000;
    while (requests.dicomWeb().filter((r) => r.status !== null).length < 2 && Date.now() < deadline) await sleep(100);
    await sleep(3000);
    const dicomWeb = assertRequestHygiene(requests, session);
    assert.deepEqual(dicomWeb.filter((r) => r.status !== 403).map((r) => `${r.status} ${r.url}`), [], 'every DICOMweb request is refused');
    const stats = await viewportStats(page);
    assert.ok(!isDrawn(stats), `no image is drawn: ${JSON.stringify(stats)}`);
    const messages = await visibleMessages(page);
    t.diagnostic(`another study's session: ${dicomWeb.length} DICOMweb requests, all 403; OHIF shows: ${messages.length ? messages.join(' / ') : 'its loading indicator, no image, no message'}`);
    await page.screenshot({ path: join(ARTIFACTS, 'ohif-other-study.png') });
  });
});

test('the landing page\'s "Open in OHIF" button opens the shared study in OHIF', { skip }, async (t) => {
  const { share } = await shareAndOpen(uid.CT);   // a second share: the first open used its own
  await withContext(async (context, requests) => {
    const landing = await context.newPage();
    await landing.goto(share.Url);
    const button = landing.locator('button[data-viewer="ohif"]').first();
    await button.waitFor({ state: 'visible', timeout: 15000 });
    const t0 = Date.now();
    const [viewer] = await Promise.all([context.waitForEvent('page'), button.click()]);
    await viewer.waitForURL(/\/ohif\/viewer/, { timeout: 15000 });
    const first = await waitForImage(viewer, t0);
    t.diagnostic(`from the landing page: first image ${first.ms} ms after the click`);
    assert.ok(!viewer.url().includes('token='), 'the token is gone from the address bar');
    const sessions = new Set(requests.dicomWeb().map((r) => r.authorization));
    assert.equal(sessions.size, 1, 'one session for all DICOMweb requests');
    const [auth] = sessions;
    assert.match(auth ?? '', /^Bearer ey/, 'the landing page handed its session to OHIF');
    assertRequestHygiene(requests, auth.slice('Bearer '.length));
  });
});

test('staff open any study in OHIF from Orthanc Explorer, with their login cookie', { skip }, async (t) => {
  const context = await browser.newContext(DESKTOP);
  try {
    const page = await context.newPage();
    const login = await page.request.post(`${orthanc.url}/studyshare/api/login`,
      { data: { Username: 'admin', Password: 'admin-pw' } });
    assert.equal(login.status(), 200, 'the admin logs in');
    const studyId = (await (await page.request.post(`${orthanc.url}/tools/lookup`, {
      data: uid.CT, headers: { 'X-Requested-With': 'test' } })).json())[0].ID;
    await page.goto(`${orthanc.url}/app/explorer.html#study?uuid=${studyId}`);
    const button = page.locator('#studyshare-open-ohif');
    await button.waitFor({ state: 'visible', timeout: 20000 });
    assert.match(await button.getAttribute('href'), /ohif\/viewer\?StudyInstanceUIDs=/);
    const t0 = Date.now();
    const [viewer] = await Promise.all([context.waitForEvent('page'), button.click()]);
    await viewer.waitForURL(/\/ohif\/viewer/, { timeout: 15000 });
    const first = await waitForImage(viewer, t0);
    t.diagnostic(`staff from Explorer: first image ${first.ms} ms after the click`);
  } finally {
    await context.close();
  }
});
