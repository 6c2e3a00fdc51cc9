// SPDX-License-Identifier: GPL-3.0-or-later
// Browser test of the printable access letter (issue 18, point 2): right after a
// share is created in the Share dialog, "Print a letter…" opens letter.html, which
// gets the letter from the dialog and prints it on one A4 or Letter page, in the
// share's language.
//
//   cd tests/browser && STUDYSHARE_PLUGIN=.../libStudyShare.so node --test --test-concurrency=1 letter.test.mjs
//
// Writes docs/screenshots/access-letter.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, copyFileSync, statSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { Orthanc, makeFixtures, launchBrowser, closeBrowser, REPO, ADMIN } from './orthanc.mjs';

const SHOTS = join(REPO, 'test-artifacts', 'screenshots');
const DOCS_SHOT = join(REPO, 'docs', 'screenshots', 'access-letter.png');
const HOSPITAL = 'Hôpital Saint-Exemple';
const CONTACT = 'Radiology front desk: +33 1 23 45 67 89';

let orthanc = null;
let browser = null;
let fixturesDir = null;
let studyA = null;

/** A small real PNG (a blue bar), so the letter's logo route has something to serve. */
function logoPng(width = 120, height = 36) {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf) => { let c = 0xffffffff; for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8); return (c ^ 0xffffffff) >>> 0; };
  const chunk = (type, data) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), body.length + 4);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array(width).fill([0x17, 0x66, 0xc2]).flat())]);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(Array(height).fill(row)))), chunk('IEND', Buffer.alloc(0))]);
}

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  fixturesDir = mkdtempSync(join(tmpdir(), 'studyshare-fixtures-'));
  const fx = makeFixtures(fixturesDir);
  const logo = join(fixturesDir, 'logo.png');
  writeFileSync(logo, logoPng());
  // An SMTP server that refuses connections: the dialog offers the recipient's language.
  orthanc = new Orthanc({ studyShare: {
    Letter: { HospitalName: HOSPITAL, Contact: CONTACT, LogoFile: logo },
    Smtp: { Url: 'smtp://127.0.0.1:9', From: 'StudyShare <noreply@example.org>', TimeoutSeconds: 2 } } });
  const [b, o] = await Promise.allSettled([launchBrowser(), orthanc.start()]);
  if (b.status === 'fulfilled') browser = b.value;
  if (b.status === 'rejected') throw b.reason;
  if (o.status === 'rejected') throw o.reason;
  const study = fx.manifest.Studies.find((s) => s.Key === 'A');
  studyA = { description: study.StudyDescription, id: (await orthanc.upload(study.Files.map((f) => join(fixturesDir, f))))[0].ParentStudy };
});

after(async () => {
  await closeBrowser(browser).catch(() => {});
  if (orthanc) {
    await orthanc.stop().catch(() => {});
    if (!process.env.KEEP_ORTHANC) orthanc.cleanup();
  }
  if (fixturesDir) rmSync(fixturesDir, { recursive: true, force: true });
});

/** Creates a share of study A in the dialog (with an access code) and opens its letter. */
async function letterFromDialog(context, { language } = {}) {
  const page = await context.newPage();
  await page.goto(`${orthanc.url}/studyshare/staff/`);
  await page.fill('#username', ADMIN.user);
  await page.fill('#password', ADMIN.password);
  await page.click('#login-submit');
  await page.waitForSelector('#signed-in', { state: 'visible' });
  await page.goto(`${orthanc.url}/app/explorer.html#study?uuid=${studyA.id}`);
  await page.click('#studyshare-share-study', { timeout: 15000 });
  await page.waitForSelector('#studyshare-dialog', { state: 'visible' });
  await page.selectOption('#ss-expiry', '7');
  await page.check('#ss-code');
  if (language) {
    await page.fill('#ss-email', 'patient@example.org');
    await page.selectOption('#ss-email-lang', language);
  }
  const answer = page.waitForResponse((r) => r.url() === `${orthanc.url}/studyshare/shares` && r.request().method() === 'POST');
  await page.click('#ss-create');
  const share = await (await answer).json();
  await page.waitForSelector('#ss-letter', { state: 'visible' });
  assert.match(await page.textContent('#ss-letter'), /Print a letter/);
  const [letter] = await Promise.all([context.waitForEvent('page'), page.click('#ss-letter')]);
  await letter.waitForFunction(() => document.body.getAttribute('data-state') === 'ready', null, { timeout: 15000 });
  return { share, letter };
}

/** The first page's size in whole points (its MediaBox). */
function pageSize(buffer) {
  const box = buffer.toString('latin1').match(/\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/);
  return box ? [Math.round(Number(box[1])), Math.round(Number(box[2]))] : null;
}

/** The number of pages of a PDF printed by Chromium (kept in test-artifacts for a look). */
function pdfPages(buffer, name) {
  writeFileSync(join(SHOTS, `${name}.pdf`), buffer);
  return (buffer.toString('latin1').match(/\/Type\s*\/Page(?!s)/g) || []).length;
}

test('Print a letter… opens a one-page letter with the link, its QR code, the code and who to call', async () => {
  const context = await browser.newContext({ locale: 'en-US', timezoneId: 'UTC', viewport: { width: 1000, height: 1200 } });
  try {
    const { share, letter } = await letterFromDialog(context);
    const text = (id) => letter.textContent(`#${id}`);
    assert.equal(await letter.getAttribute('#sheet', 'lang'), 'en');
    assert.equal(await text('hospital'), HOSPITAL);
    assert.equal(await text('title'), 'Your medical images online');
    assert.match(await text('studies'), new RegExp(studyA.description));
    assert.equal(await text('typed-link'), share.ShortUrl);
    assert.equal(await text('access-code'), share.AccessCode);
    assert.equal(await text('validity'), share.Letter.Validity);
    assert.equal(await text('contact'), CONTACT);
    assert.ok(!letter.url().includes(share.AccessCode), 'the code never goes into the letter page\'s URL');
    // The logo and the QR code really load (staff session cookie).
    await letter.waitForFunction(() => ['logo', 'qr'].every((id) => {
      const img = document.getElementById(id);
      return img.complete && img.naturalWidth > 0;
    }), null, { timeout: 15000 });

    await letter.emulateMedia({ media: 'print' });
    assert.ok(!(await letter.isVisible('.toolbar')), 'the toolbar is not printed');
    assert.ok(await letter.isVisible('#access-code'));
    assert.ok(await letter.isVisible('#qr'));
    const printed = async (paper) => {
      // The paper is chosen on screen (the toolbar is not printed); page.pdf() uses the emulated media.
      await letter.emulateMedia({ media: 'screen' });
      await letter.selectOption('#paper', paper);
      await letter.waitForFunction((p) => [...document.styleSheets].some((s) => (s.href || '').endsWith(`paper-${p}.css`)), paper);
      await letter.emulateMedia({ media: 'print' });
      return letter.pdf({ preferCSSPageSize: true, printBackground: true });
    };
    const onLetter = await printed('letter');
    assert.equal(pdfPages(onLetter, 'access-letter-letter'), 1, 'Letter: one page');
    assert.deepEqual(pageSize(onLetter), [612, 792], 'US Letter: 8.5 × 11 in');
    const onA4 = await printed('a4');
    assert.equal(pdfPages(onA4, 'access-letter-a4'), 1, 'A4: one page');
    assert.deepEqual(pageSize(onA4), [595, 842], 'A4: 210 × 297 mm');

    await letter.emulateMedia({ media: 'screen' });
    const file = join(SHOTS, 'access-letter.png');
    await letter.locator('#sheet').screenshot({ path: file, animations: 'disabled' });
    copyFileSync(file, DOCS_SHOT);
    const size = statSync(DOCS_SHOT).size;
    assert.ok(size < 150 * 1024, `access-letter.png is ${size} bytes (limit 150 KB)`);
  } finally {
    await context.close().catch(() => {});
  }
});

test('the letter speaks the recipient\'s language, whatever the dialog\'s', async () => {
  const context = await browser.newContext({ locale: 'en-US', timezoneId: 'UTC' });
  try {
    const { share, letter } = await letterFromDialog(context, { language: 'fr' });
    assert.equal(await letter.getAttribute('#sheet', 'lang'), 'fr');
    assert.equal(await letter.textContent('#title'), 'Vos images médicales en ligne');
    assert.equal(await letter.textContent('#access-code'), share.AccessCode);
    assert.match(await letter.textContent('#validity'), /^Le lien fonctionne jusqu'au /);
    assert.equal(await letter.textContent('#print'), 'Print', 'the toolbar keeps the staff\'s language');
  } finally {
    await context.close().catch(() => {});
  }
});
