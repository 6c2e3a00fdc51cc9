// SPDX-License-Identifier: GPL-3.0-or-later
// Browser tests of an inbox link's upload page (web/share/, js/inbox-*.js) against a real
// Orthanc with the StudyShare plugin, in Debian's headless Chromium: a CD's folder, files
// and a ZIP chosen, a ZIP dropped, a file that fails once and is retried, a full inbox.
// Every upload is checked in Orthanc itself. Fresh DICOM files (new UIDs, made with
// dcmtk's dcmodify from the fixture studies) keep the tests apart.
//
//   cd tests/browser && node --test --test-concurrency=1 inbox_upload.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync, copyFileSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Orthanc, makeFixtures, launchBrowser, closeBrowser, REPO } from './orthanc.mjs';
import { withContext, shot, SHOTS, DOCS_SHOTS } from './suite.mjs';

const EN = JSON.parse(readFileSync(join(REPO, 'web', 'share', 'i18n', 'en.json'), 'utf8'));
const FR = JSON.parse(readFileSync(join(REPO, 'web', 'share', 'i18n', 'fr.json'), 'utf8'));
const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, isMobile: true, hasTouch: true };
const DESKTOP = { viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 };
// Slow enough (bytes per second) that the bars are seen between 0 and 100 %.
const SLOW_UPLOAD = 12 * 1024;

let orthanc = null;
let browser = null;
let work = null;
let fixtures = null;

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  mkdirSync(DOCS_SHOTS, { recursive: true });
  work = mkdtempSync(join(tmpdir(), 'studyshare-inbox-'));
  fixtures = makeFixtures(join(work, 'fixtures'));
  orthanc = new Orthanc();
  const [b, o] = await Promise.allSettled([launchBrowser(), orthanc.start()]);
  if (b.status === 'fulfilled') browser = b.value;
  if (b.status === 'rejected') throw b.reason;
  if (o.status === 'rejected') throw o.reason;
});

after(async () => {
  await closeBrowser(browser).catch(() => {});
  if (orthanc) {
    await orthanc.stop().catch(() => {});
    if (!process.env.KEEP_ORTHANC) orthanc.cleanup();
  }
  if (work) rmSync(work, { recursive: true, force: true });
});

// ------------------------------------------------------------------ helpers
let uidCounter = 0;
const UID_ROOT = `1.2.826.0.1.3680043.8.498.100779.${process.pid}.${Date.now() % 1e9}`;
const freshUid = () => `${UID_ROOT}.${++uidCounter}`;

/** Copies of the fixture files of study `key` as one new study (new UIDs, this patient). */
function freshStudy(key, dir, names, { patient, description }) {
  mkdirSync(dir, { recursive: true });
  const study = fixtures.manifest.Studies.find((s) => s.Key === key);
  const studyUid = freshUid();
  const seriesUids = {};
  const files = study.Files.slice(0, names.length).map((f, i) => {
    const seriesFolder = f.split('/')[2];
    seriesUids[seriesFolder] ||= freshUid();
    const target = join(dir, names[i]);
    copyFileSync(join(fixtures.dir, f), target);
    execFileSync('dcmodify', ['-nb', '-m', `(0010,0010)=${patient}`, '-m', `(0008,1030)=${description}`,
      '-m', `(0020,000d)=${studyUid}`, '-m', `(0020,000e)=${seriesUids[seriesFolder]}`,
      '-m', `(0008,0018)=${freshUid()}`, target], { stdio: ['ignore', 'ignore', 'inherit'] });
    return target;
  });
  return { uid: studyUid, files, modality: study.Series[0].Modality, date: study.StudyDate };
}

/** A folder as a CD holds it: images, a DICOMDIR, a viewer program, a text file. */
function makeCd(dir, options) {
  const study = freshStudy('A', join(dir, 'DICOM'), ['IM000001', 'IM000002', 'IM000003', 'IM000004', 'IM000005', 'IM000006'], options);
  execFileSync('dcmmkdir', ['+I', '+r', '+id', dir, '+D', join(dir, 'DICOMDIR'), 'DICOM'], { stdio: ['ignore', 'ignore', 'inherit'] });
  writeFileSync(join(dir, 'VIEWER.EXE'), Buffer.concat([Buffer.from('MZ'), randomBytes(24 * 1024)]));
  writeFileSync(join(dir, 'README.TXT'), 'Open VIEWER.EXE to see the images.\n');
  return study;
}

function zipOf(target, files) {
  execFileSync('zip', ['-j', '-q', target, ...files]);
  return target;
}

async function createInbox(extra = {}) {
  return orthanc.createShare({ Kind: 'Inbox', ValidityDuration: 3600, ...extra });
}

/** What Orthanc holds for a StudyInstanceUID: its instances, each with the inbox mark (4512). */
async function orthancStudy(uid) {
  const found = (await orthanc.request('POST', '/tools/lookup', { admin: true, body: uid })).json || [];
  const study = found.find((m) => m.Type === 'Study');
  if (!study) return { instances: 0, marks: [] };
  const instances = (await orthanc.request('GET', `/studies/${study.ID}/instances`, { admin: true })).json;
  const marks = [];
  for (const i of instances) {
    marks.push((await orthanc.request('GET', `/instances/${i.ID}/metadata/4512`, { admin: true })).body.toString());
  }
  return { instances: instances.length, marks };
}

async function waitFor(page, fn, arg, what, timeout = 30000) {
  try {
    await page.waitForFunction(fn, arg, { timeout, polling: 50 });
  } catch (e) {
    const phase = await page.evaluate(() => `${document.body.dataset.state}/${document.getElementById('state-inbox').dataset.phase}`).catch(() => '?');
    throw new Error(`${what} did not happen (page: ${phase})`);
  }
}

/** Opens the inbox link and waits for its upload page. */
async function openInbox(context, inbox, answers = null) {
  const page = await context.newPage();
  await page.goto(inbox.Url);
  if (answers) {
    await waitFor(page, () => document.body.dataset.state === 'challenge', null, 'the challenge');
    await page.fill('#password', answers.Password);
    await page.click('#challenge-submit');
  }
  await waitFor(page, () => document.body.dataset.state === 'inbox', null, 'the upload page');
  assert.equal((await page.textContent('#inbox-title')).trim(), EN['inbox.title']);
  return page;
}

const phaseOf = (page) => page.evaluate(() => document.getElementById('state-inbox').dataset.phase);

async function waitPhase(page, phases) {
  await waitFor(page, (p) => p.includes(document.getElementById('state-inbox').dataset.phase), phases, `phase ${phases}`);
  // The summary is drawn once the batch ended.
  if (phases.some((p) => p !== 'uploading')) await waitFor(page, () => !document.getElementById('inbox-summary').hidden, null, 'the summary');
}

async function throttle(context, page) {
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false, latency: 20, downloadThroughput: -1, uploadThroughput: SLOW_UPLOAD,
  });
}

/** The bar between 0 and 100 %, files on their way and the time left; returns the bar's value (0–1000). */
async function midUpload(page) {
  await waitFor(page, () => {
    const bar = document.getElementById('inbox-bar');
    return bar.value > 0 && bar.value < 1000 && document.querySelectorAll('#inbox-current > li').length > 0
      && document.getElementById('inbox-time-left').textContent !== '';
  }, null, 'a partly filled progress bar');
  assert.match(await page.textContent('#inbox-time-left'), /^About \d+ (sec|min)/);
  return page.evaluate(() => document.getElementById('inbox-bar').value);
}

const studiesShown = (page) => page.$$eval('#inbox-studies > li.inbox-study', (items) => items.map((li) => ({
  name: li.querySelector('.patient-name').textContent.trim(),
  facts: Object.fromEntries([...li.querySelectorAll('dl > div')].map((d) => [d.querySelector('dt').textContent.trim(), d.querySelector('dd').textContent.trim()])),
})));

const skippedShown = (page) => page.$$eval('#inbox-skipped > li', (items) => items.map((li) => ({
  name: li.querySelector('.file-name').textContent.trim(), reason: li.querySelector('.file-reason').textContent.trim(),
})));

async function noHorizontalOverflow(page) {
  const { sw, iw } = await page.evaluate(() => ({ sw: document.documentElement.scrollWidth, iw: window.innerWidth }));
  assert.ok(sw <= iw, `page is ${sw}px wide in a ${iw}px viewport (horizontal scrolling)`);
}

// ------------------------------------------------------------------ 1. a CD's folder, desktop
test('1. a CD folder is uploaded: images arrive in Orthanc, DICOMDIR, program and text are skipped and listed', async () => {
  const cd = join(work, 'CD1');
  const study = makeCd(cd, { patient: 'MARTIN^CLAIRE', description: 'CT FROM CD' });
  const inbox = await createInbox({ Note: 'priors from St Mary' });
  await withContext(browser, DESKTOP, async (context) => {
    const page = await openInbox(context, inbox);
    assert.match(await page.textContent('#inbox-limits'), /up to 20,000 images, 4 GB in all and 512 MB per file/);
    await throttle(context, page);
    await page.setInputFiles('#inbox-folder-input', cd);
    const during = await midUpload(page);
    await shot(page, 'inbox-upload-desktop', { docs: true });
    assert.ok(during > 0 && during < 1000, `progress ${during / 10} %`);
    assert.match(await page.textContent('#inbox-progress-text'), /of 9 files/);

    await waitPhase(page, ['done']);
    assert.equal(await page.evaluate(() => document.getElementById('inbox-bar').value), 1000);
    assert.match(await page.textContent('#inbox-progress-text'), /^9 of 9 files/);
    const [shown, ...others] = await studiesShown(page);
    assert.deepEqual(others, []);
    assert.equal(shown.name, 'MARTIN CLAIRE');
    assert.equal(shown.facts.Images, '6');
    assert.equal(shown.facts.Modalities, study.modality);
    assert.equal(shown.facts.Description, 'CT FROM CD');
    assert.equal(shown.facts['Study date'], 'January 10, 2025');
    const skipped = await skippedShown(page);
    assert.deepEqual(skipped.map((s) => s.name).sort(), ['CD1/DICOMDIR', 'CD1/README.TXT', 'CD1/VIEWER.EXE']);
    for (const s of skipped) assert.equal(s.reason, EN['inbox.reason.notDicom']);
    assert.ok(await page.isHidden('#inbox-failed-box'));
    await shot(page, 'inbox-upload-done-desktop', { fullPage: true, docs: true });
  });
  const held = await orthancStudy(study.uid);
  assert.equal(held.instances, 6);
  assert.deepEqual([...new Set(held.marks)], [inbox.ID]);
  const staff = (await orthanc.request('GET', `/studyshare/shares/${inbox.ID}`, { admin: true })).json;
  assert.equal(staff.Received.Instances, 6);
});

// ------------------------------------------------------------------ 2. files and a ZIP, phone
test('2. on a phone, after the password: files and a ZIP are chosen, both studies are summarized', async () => {
  const dir = join(work, 'phone');
  const loose = freshStudy('A', join(dir, 'loose'), ['1.dcm', '2.dcm', '3.dcm', '4.dcm', '5.dcm', '6.dcm'], { patient: 'GARCIA^LUIS', description: 'CT ANKLE' });
  const zipped = freshStudy('B', join(dir, 'zipped'), ['b1.dcm', 'b2.dcm'], { patient: 'GARCIA^LUIS', description: 'MR KNEE' });
  const zip = zipOf(join(dir, 'knee.zip'), zipped.files);
  const inbox = await createInbox({ Password: 'cd-from-home' });
  await withContext(browser, PHONE, async (context) => {
    const page = await openInbox(context, inbox, { Password: 'cd-from-home' });
    await noHorizontalOverflow(page);
    await throttle(context, page);
    await page.setInputFiles('#inbox-files-input', [...loose.files, zip]);
    await midUpload(page);
    await noHorizontalOverflow(page);
    await shot(page, 'inbox-upload-phone', { docs: true });

    await waitPhase(page, ['done']);
    const shown = await studiesShown(page);
    const byDescription = Object.fromEntries(shown.map((s) => [s.facts.Description, s]));
    assert.deepEqual(Object.keys(byDescription).sort(), ['CT ANKLE', 'MR KNEE']);
    assert.equal(byDescription['MR KNEE'].facts.Images, '2');
    assert.equal(byDescription['CT ANKLE'].facts.Images, '6');
    assert.equal(byDescription['MR KNEE'].name, 'GARCIA LUIS');
    assert.ok(await page.isHidden('#inbox-skipped-box'), 'nothing skipped');
    await noHorizontalOverflow(page);
    await shot(page, 'inbox-upload-done-phone', { fullPage: true, docs: true });

    // The page speaks the four languages: French, here.
    await page.selectOption('#lang-select', 'fr');
    await waitFor(page, (t) => document.getElementById('inbox-summary-title').textContent === t, FR['inbox.summary.title'], 'the French summary');
    assert.equal((await page.textContent('#inbox-title')).trim(), FR['inbox.title']);
    assert.match(await page.textContent('#inbox-progress-text'), /^7 fichiers sur 7/);
  });
  assert.equal((await orthancStudy(loose.uid)).instances, 6);
  assert.equal((await orthancStudy(zipped.uid)).instances, 2);
});

// ------------------------------------------------------------------ 3. a ZIP dropped
test('3. a ZIP dropped on the page is sent as a ZIP and unpacked by the server', async () => {
  const dir = join(work, 'drop');
  const study = freshStudy('A', join(dir, 'files'), ['1.dcm', '2.dcm', '3.dcm', '4.dcm'], { patient: 'NOVAK^EVA', description: 'CT DROPPED' });
  const zip = readFileSync(zipOf(join(dir, 'dropped.zip'), study.files));
  const inbox = await createInbox();
  await withContext(browser, DESKTOP, async (context) => {
    const page = await openInbox(context, inbox);
    const types = [];
    page.on('request', (r) => { if (r.url().endsWith('/share/api/inbox/files')) types.push(r.headers()['content-type']); });
    const dataTransfer = await page.evaluateHandle((b64) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const dt = new DataTransfer();
      dt.items.add(new File([bytes], 'dropped.zip', { type: 'application/zip' }));
      return dt;
    }, zip.toString('base64'));
    await page.dispatchEvent('#inbox-drop', 'dragover', { dataTransfer });
    await page.dispatchEvent('#inbox-drop', 'drop', { dataTransfer });
    await waitPhase(page, ['done']);
    assert.deepEqual(types, ['application/zip']);
    const [shown] = await studiesShown(page);
    assert.equal(shown.name, 'NOVAK EVA');
    assert.equal(shown.facts.Images, '4');
  });
  assert.equal((await orthancStudy(study.uid)).instances, 4);
});

// ------------------------------------------------------------------ 4. retry
test('4. a file whose request fails is listed as failed and arrives when retried', async () => {
  const dir = join(work, 'retry');
  const study = freshStudy('A', dir, ['1.dcm', '2.dcm', '3.dcm'], { patient: 'SMITH^ANN', description: 'CT RETRY' });
  const inbox = await createInbox();
  await withContext(browser, DESKTOP, async (context) => {
    const page = await openInbox(context, inbox);
    let failures = 0;
    await page.route('**/share/api/inbox/files', (route) => {
      if (route.request().headers()['x-file-name'] === '2.dcm' && failures++ === 0) return route.abort('connectionreset');
      return route.continue();
    });
    await page.setInputFiles('#inbox-files-input', study.files);
    await waitPhase(page, ['done']);
    assert.equal(failures, 1);
    assert.ok(await page.isVisible('#inbox-retry'));
    const failed = await page.$$eval('#inbox-failed > li', (l) => l.map((li) => [li.querySelector('.file-name').textContent, li.querySelector('.file-reason').textContent]));
    assert.deepEqual(failed, [['2.dcm', EN['inbox.reason.network']]]);
    assert.equal((await studiesShown(page))[0].facts.Images, '2');
    assert.equal((await orthancStudy(study.uid)).instances, 2);

    await page.click('#inbox-retry');
    await waitFor(page, () => document.getElementById('inbox-failed-box').hidden
      && document.querySelector('#inbox-studies dl > div:nth-child(4) > dd')?.textContent === '3', null, 'the retried file in the summary');
    assert.equal(failures, 2);
    assert.equal(await phaseOf(page), 'done');
  });
  assert.equal((await orthancStudy(study.uid)).instances, 3);
});

// ------------------------------------------------------------------ 5. a full inbox
test('5. an inbox that is full stops the upload and says so; Orthanc holds only what it accepts', async () => {
  const dir = join(work, 'full');
  const study = freshStudy('A', dir, ['1.dcm', '2.dcm', '3.dcm', '4.dcm', '5.dcm', '6.dcm'], { patient: 'FULL^INBOX', description: 'CT FULL' });
  const inbox = await createInbox({ MaxFiles: 2 });
  await withContext(browser, DESKTOP, async (context) => {
    const page = await openInbox(context, inbox);
    assert.match(await page.textContent('#inbox-limits'), /up to 2 images/);
    await page.setInputFiles('#inbox-files-input', study.files);
    await waitPhase(page, ['stopped']);
    assert.equal((await page.textContent('#inbox-stopped')).trim(), EN['inbox.stop.full']);
    assert.ok(await page.isHidden('#inbox-retry'), 'no retry when the link is full');
    assert.ok(await page.isDisabled('#inbox-pick-files'));
    const skipped = await skippedShown(page);
    assert.equal(skipped.length, 4);
    for (const s of skipped) assert.ok([EN['inbox.reason.full'], EN['inbox.reason.notSent']].includes(s.reason), s.reason);
    assert.equal((await studiesShown(page))[0].facts.Images, '2');
  });
  assert.equal((await orthancStudy(study.uid)).instances, 2);
});
