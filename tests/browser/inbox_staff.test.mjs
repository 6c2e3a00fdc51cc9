// SPDX-License-Identifier: GPL-3.0-or-later
// Browser tests of the staff side of inbox links (issue 16): the shares page shows
// an inbox with the studies it received (patient, date, description, modalities,
// images, bytes), each linked to Orthanc Explorer, filters inboxes from shares, and
// closes an inbox; Orthanc Explorer's "Ask for images" dialog makes an inbox and
// shows its link and QR code, in English and French. The files arrive through the
// real upload route (POST /share/api/inbox/files) with an inbox session.
//
//   cd tests/browser && STUDYSHARE_PLUGIN=.../libStudyShare.so node --test --test-concurrency=1 inbox_staff.test.mjs
//
// Screenshot: docs/screenshots/inbox-staff-view.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, basename } from 'node:path';
import { ADMIN } from './orthanc.mjs';
import { useSuite, shot } from './suite.mjs';

const DESKTOP = { viewport: { width: 1280, height: 820 }, deviceScaleFactor: 1 };
const DAY = 86400;

// Study B is in Orthanc already (staff shared it); A and C arrive through an inbox.
const env = useSuite({ upload: ['B'], context: DESKTOP });

// ------------------------------------------------------------------ helpers

async function signIn(context) {
  const page = await context.newPage();
  await page.goto(`${env.orthanc.url}/studyshare/staff/`);
  await page.fill('#username', ADMIN.user);
  await page.fill('#password', ADMIN.password);
  await page.click('#login-submit');
  await page.waitForSelector('#signed-in', { state: 'visible' });
  return page;
}

async function openSharesPage(page) {
  await page.goto(`${env.orthanc.url}/studyshare/staff/shares.html`);
  await page.waitForFunction(() => document.body.getAttribute('data-state') === 'ready', null, { timeout: 15000 });
}

async function uploadThroughInbox(session, study) {
  let accepted = 0;
  for (const file of study.Files) {
    const r = await env.orthanc.request('POST', '/share/api/inbox/files', {
      body: readFileSync(join(env.fixturesDir, file)),
      headers: { 'Content-Type': 'application/dicom', 'X-File-Name': encodeURIComponent(basename(file)),
        Authorization: `Bearer ${session}` } });
    assert.equal(r.status, 200, r.body.toString());
    accepted += r.json.Accepted;
  }
  return accepted;
}

async function described(id) {
  const r = await env.orthanc.request('GET', `/studyshare/shares/${id}`, { admin: true });
  assert.equal(r.status, 200, r.body.toString());
  return r.json;
}

const rowOf = (id) => `#share-rows tr[data-share-id="${id}"]`;

// ------------------------------------------------------------------ tests
test('the shares page shows an inbox with what it received, linked to Orthanc Explorer, and closes it', async () => {
  const shared = await env.orthanc.createShare({ Resources: [{ Level: 'Study', OrthancId: env.ids.study.B }],
    Permissions: ['View'], ValidityDuration: 7 * DAY, Note: 'MR for the neurologist' });
  const inbox = await env.orthanc.createShare({ Kind: 'Inbox', ValidityDuration: 14 * DAY, Note: 'Priors from St Mary’s',
    Recipient: { Name: 'Dr Who', Email: 'who@example.org' }, MaxFiles: 50, MaxUploadBytes: 64 * 1024 * 1024, MaxFileBytes: 8 * 1024 * 1024 });
  const opened = await env.orthanc.open({ Token: inbox.Token });
  assert.equal(opened.status, 200, opened.body.toString());
  const session = opened.json.SessionToken;
  const studyA = env.fixtures.manifest.Studies.find((s) => s.Key === 'A');
  const studyC = env.fixtures.manifest.Studies.find((s) => s.Key === 'C');
  assert.equal(await uploadThroughInbox(session, studyA), studyA.Files.length);
  assert.equal(await uploadThroughInbox(session, studyC), studyC.Files.length);
  const received = (await described(inbox.ID)).Received;
  assert.equal(received.Studies.length, 2);

  await env.withContext({}, async (context) => {
    const page = await signIn(context);
    await openSharesPage(page);
    const row = rowOf(inbox.ID);
    assert.equal(await page.getAttribute(row, 'data-kind'), 'Inbox');
    assert.equal((await page.textContent(`${row} .kind-badge`)).trim(), 'Inbox');
    const studies = await page.$$eval(`${row} .received-study`, (blocks) => blocks.map((b) => ({
      id: b.getAttribute('data-orthanc-id'),
      href: b.querySelector('a.js-open-study')?.href,
      title: b.querySelector('a.js-open-study')?.textContent,
      facts: b.querySelector('.received-facts').textContent })));
    assert.equal(studies.length, 2);
    for (const study of received.Studies) {
      const shown = studies.find((s) => s.id === study.OrthancId);
      assert.ok(shown, `study ${study.OrthancId} is listed`);
      assert.equal(shown.href, `${env.orthanc.url}/app/explorer.html#study?uuid=${study.OrthancId}`);
      assert.match(shown.title, new RegExp(study.StudyDescription));
      assert.match(shown.facts, new RegExp(`${study.Modalities.join(', ')} · ${study.Instances} image`));
      assert.match(shown.facts, /[KM]iB|\d B/);
    }
    const patients = await page.textContent(`${row} td.col-patient`);
    assert.match(patients, /DOE JANE · ID SS-P1/);
    assert.match(patients, /ROE RICHARD · ID SS-P2/);
    assert.match(patients, /asked of Dr Who/);
    assert.match(await page.textContent(`${row} .received-total`), new RegExp(`received ${received.Instances} images`));
    assert.match(await page.textContent(`${row} .inbox-limits`), /accepts 64 MiB in all, 8 MiB per file, 50 files/);
    assert.equal((await page.textContent(`${row} button.js-close-inbox`)).trim(), 'Close inbox');
    // The kind filter
    assert.equal(await page.getAttribute(rowOf(shared.ID), 'data-kind'), 'Share');
    await page.selectOption('#kind-filter', 'Inbox');
    assert.equal(await page.locator(rowOf(shared.ID)).count(), 0, 'a share is not an inbox');
    assert.equal(await page.locator(row).count(), 1);
    // The search finds received patients
    await page.fill('#search', 'ROE');
    assert.equal(await page.locator(row).count(), 1);
    await page.fill('#search', '');
    await shot(page, 'inbox-staff-view', { docs: true });

    // A received study opens in Orthanc Explorer
    const [explorer] = await Promise.all([context.waitForEvent('page'),
      page.click(`${row} .received-study[data-orthanc-id="${received.Studies[0].OrthancId}"] a.js-open-study`)]);
    await explorer.waitForSelector('#study-info', { state: 'visible', timeout: 15000 });
    await explorer.waitForFunction((d) => document.getElementById('study-info').textContent.includes(d),
      received.Studies[0].StudyDescription);
    await explorer.close();

    // Closing the inbox
    await page.click(`${row} button.js-close-inbox`);
    await page.waitForSelector('#revoke-dialog', { state: 'visible' });
    assert.equal((await page.textContent('#revoke-title')).trim(), 'Close this inbox?');
    assert.match(await page.textContent('#revoke-text'), /Inbox Priors from St Mary’s, created by admin/);
    assert.match(await page.textContent('#revoke-warning'), /What it received stays in Orthanc/);
    await page.click('#revoke-confirm');
    await page.waitForFunction((sel) => document.querySelector(sel)?.getAttribute('data-state') === 'revoked', row);
    assert.equal(await page.locator(`${row} button.js-close-inbox`).count(), 0);
    assert.equal(await page.locator(`${row} .received-study`).count(), 2, 'what it received is still shown');
  });
  assert.equal((await described(inbox.ID)).State, 'revoked');
  const again = await env.orthanc.request('POST', '/share/api/inbox/files', { body: readFileSync(join(env.fixturesDir, studyA.Files[0])),
    headers: { 'Content-Type': 'application/dicom', Authorization: `Bearer ${session}` } });
  assert.equal(again.status, 410);
  assert.equal(again.json.Error, 'revoked');
});

test('“Ask for images” in Orthanc Explorer makes an inbox and shows its link and QR code, in English and French', async () => {
  const words = { 'en-US': { button: 'Ask for images…', title: 'Ask for images', create: 'Create upload link' },
    'fr-FR': { button: 'Demander des images…', title: 'Demander des images', create: 'Créer le lien de dépôt' } };
  for (const [locale, expected] of Object.entries(words)) {
    await env.withContext({ locale }, async (context) => {
      const page = await signIn(context);
      await page.goto(`${env.orthanc.url}/app/explorer.html#patient?uuid=${env.ids.patient.B}`);
      await page.waitForSelector('#studyshare-inbox-patient', { state: 'visible', timeout: 15000 });
      await page.waitForFunction((w) => document.querySelector('#studyshare-inbox-patient').textContent.includes(w),
        expected.button);
      await page.click('#studyshare-inbox-patient');
      await page.waitForSelector('#studyshare-dialog', { state: 'visible' });
      assert.equal((await page.textContent('#ss-title')).trim(), expected.title);
      assert.equal((await page.textContent('#ss-create')).trim(), expected.create);
      assert.equal(await page.locator('#ss-perm-download').count(), 0, 'an inbox shows nothing: no permissions');
      await page.fill('#ss-inbox-max-files', '0');
      await page.click('#ss-create');
      await page.waitForSelector('#ss-error', { state: 'visible' });
      await page.fill('#ss-inbox-name', 'Dr Watson');
      await page.fill('#ss-inbox-email', 'watson@example.org');
      await page.fill('#ss-note', `CD of ${locale}`);
      await page.fill('#ss-inbox-max-upload', '100');
      await page.fill('#ss-inbox-max-file', '10');
      await page.fill('#ss-inbox-max-files', '30');
      await page.check('#ss-code');
      if (locale === 'en-US') { await shot(page.locator('#studyshare-dialog .ss-panel'), 'ask-for-images'); }
      await page.click('#ss-create');
      await page.waitForSelector('#ss-result', { state: 'visible' });
      const link = await page.inputValue('#ss-link');
      await page.waitForFunction(() => { const i = document.getElementById('ss-qr'); return i.complete && i.naturalWidth > 0; });
      assert.match(await page.textContent('#ss-access-code'), /^[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5}$/);
      if (locale === 'en-US') {
        assert.match(await page.textContent('#ss-protections'), /accepts 100 MiB in all, 10 MiB per file, 30 files/);
        assert.equal((await page.textContent('#ss-result-title')).trim(), 'The upload link is ready.');
      }
      const listed = (await env.orthanc.request('GET', '/studyshare/shares', { admin: true })).json
        .filter((s) => s.Note === `CD of ${locale}`);
      assert.equal(listed.length, 1);
      const made = listed[0];
      assert.equal(made.Kind, 'Inbox');
      assert.deepEqual([made.MaxUploadBytes, made.MaxFileBytes, made.MaxFiles], [100 << 20, 10 << 20, 30]);
      assert.deepEqual(made.Recipient, { Name: 'Dr Watson', Email: 'watson@example.org' });
      assert.ok(made.HasAccessCode);
      assert.ok(link.startsWith(`${env.orthanc.url}/s/#`) || link.startsWith(`${env.orthanc.url}/share/#token=`), link);
    });
  }
});
