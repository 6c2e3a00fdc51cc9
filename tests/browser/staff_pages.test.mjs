// SPDX-License-Identifier: GPL-3.0-or-later
// Browser tests of what staff see on the shares page and in the Share dialog
// (issue 14): a locked share and its Unlock button, the link and QR code again,
// a new access code, search by accession number and patient ID, the page at
// 768 px, the pages in French, German and Spanish, the dialog's defaults from
// the server (DefaultValidityDuration, no e-mail field without SMTP, the
// e-mail's language), its keyboard focus and Escape, limits in days, and the
// message a sharer gets for an Explorer action its role may not use.
//
//   cd tests/browser && STUDYSHARE_PLUGIN=.../libStudyShare.so node --test --test-concurrency=1 staff_pages.test.mjs
//
// Screenshots: docs/screenshots/shares-unlock.png and docs/screenshots/dialog-fr.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useSuite, shot } from './suite.mjs';

const DESKTOP = { viewport: { width: 1280, height: 820 }, deviceScaleFactor: 1 };
const DAY = 86400;

// Argon2id hash of SHARER.password (the same account as staff.test.mjs).
const SHARER = {
  user: 'sam-sharer',
  password: 'sharer-pw-2026',
  hash: '$argon2id$v=19$m=65536,t=2,p=1$UXQwW2EN6niUDbQCVVsfHg$3lPwqSCtKjBLfW8da+SL3M7+2HQL65KeqqLU06xexOI',
};
const ADMIN = { user: 'admin', password: 'admin-pw' };
const USERS = { [SHARER.user]: { PasswordHash: SHARER.hash, Role: 'sharer', DisplayName: 'Dr Sam Sharer' } };

const env = useSuite({ servers: [
  // With SMTP (a refusing port): the dialog offers e-mail; the second server has no SMTP.
  { studyShare: { Users: USERS, DefaultValidityDuration: 15 * DAY, MaxValidityDuration: 60 * DAY,
    Smtp: { Url: 'smtp://127.0.0.1:9', From: 'StudyShare <noreply@example.org>', TimeoutSeconds: 2 } } },
  { studyShare: { Users: USERS } }], context: DESKTOP });
const withoutSmtp = () => env.servers[1];

// ------------------------------------------------------------------ helpers

async function signIn(context, { user, password }, server = env.orthanc) {
  const page = await context.newPage();
  await page.goto(`${server.url}/studyshare/staff/`);
  await page.fill('#username', user);
  await page.fill('#password', password);
  await page.click('#login-submit');
  await page.waitForSelector('#signed-in', { state: 'visible' });
  return page;
}

async function openSharesPage(page, server = env.orthanc) {
  await page.goto(`${server.url}/studyshare/staff/shares.html`);
  await page.waitForFunction(() => document.body.getAttribute('data-state') === 'ready', null, { timeout: 15000 });
}

async function openDialog(page, uuid, server = env.orthanc) {
  await page.goto(`${server.url}/app/explorer.html#study?uuid=${uuid}`);
  await page.waitForSelector('#studyshare-share-study', { state: 'visible', timeout: 15000 });
  await page.click('#studyshare-share-study');
  await page.waitForSelector('#studyshare-dialog', { state: 'visible' });
  await page.waitForFunction(() => /DOE JANE|ROE RICHARD/.test(document.getElementById('ss-subject').textContent));
}

const rowOf = (id) => `#share-rows tr[data-share-id="${id}"]`;

async function share(body, server = env.orthanc) {
  return server.createShare({ Resources: [{ Level: 'Study', OrthancId: env.ids.study.A }], Permissions: ['View'], ...body });
}

async function shareJson(id, server = env.orthanc) {
  const r = await server.request('GET', `/studyshare/shares/${id}`, { admin: true });
  assert.equal(r.status, 200, r.body.toString());
  return r.json;
}

// ------------------------------------------------------------------ tests
test('a locked share shows as locked with its Unlock button; unlocking lets the recipient try again', async () => {
  const locked = await share({ Password: 'right-answer', Note: 'Locked by wrong passwords', ValidityDuration: 7 * DAY });
  await share({ Resources: [{ Level: 'Study', OrthancId: env.ids.study.C }], Note: 'Radiology second opinion', ValidityDuration: 30 * DAY });
  for (let i = 0; i < 3; i++) {  // MaxFailedAttempts is 3 in these tests
    const r = await env.orthanc.open({ Token: locked.Token, Password: `wrong-${i}` });
    assert.ok([401, 423].includes(r.status), `wrong answer ${i}: HTTP ${r.status}`);
  }
  assert.equal((await env.orthanc.open({ Token: locked.Token, Password: 'right-answer' })).json.Error, 'locked');
  const described = await shareJson(locked.ID);
  assert.equal(described.State, 'locked');
  assert.ok(Date.parse(described.LockedUntil) > Date.now(), `LockedUntil ${described.LockedUntil}`);

  await env.withContext({}, async (context) => {
    const page = await signIn(context, ADMIN);
    await openSharesPage(page);
    const row = rowOf(locked.ID);
    assert.equal(await page.getAttribute(row, 'data-state'), 'locked');
    assert.match(await page.textContent(`${row} td.col-state`), /Locked[\s\S]*locked until/);
    assert.ok(await page.isVisible(`${row} button.js-unlock`), 'an Unlock button');
    await shot(page, 'shares-unlock', { docs: true });

    await page.click(`${row} button.js-unlock`);
    await page.waitForSelector('#notice', { state: 'visible' });
    await page.waitForFunction((sel) => document.querySelector(sel)?.getAttribute('data-state') === 'active', row);
    assert.equal(await page.locator(`${row} button.js-unlock`).count(), 0);
  });
  assert.equal((await shareJson(locked.ID)).State, 'active');
  const audit = await env.orthanc.request('GET', `/studyshare/shares/${locked.ID}/audit`, { admin: true });
  assert.ok(audit.json.some((e) => e.Event === 'unlock' && e.Actor === 'admin'), 'the unlock is audited');
  assert.equal((await env.orthanc.open({ Token: locked.Token, Password: 'right-answer' })).status, 200);
});

test('the shares page shows a share’s link and QR code again, and makes a new access code shown once', async () => {
  const coded = await share({ AccessCode: true, Note: 'Code to renew', ValidityDuration: 7 * DAY });
  await env.withContext({}, async (context) => {
    const page = await signIn(context, SHARER);
    await page.goto(`${env.orthanc.url}/studyshare/staff/shares.html`);
    await page.waitForFunction(() => document.body.getAttribute('data-state') === 'ready');
    // The sharer sees only its own shares: make one as the sharer.
    const own = await page.request.post(`${env.orthanc.url}/studyshare/shares`, { headers: { 'X-Requested-With': 'StudyShare' },
      data: { Resources: [{ Level: 'Study', OrthancId: env.ids.study.B }], Permissions: ['View'], AccessCode: true, ValidityDuration: DAY } });
    assert.equal(own.status(), 201);
    const mine = await own.json();
    await page.click('#refresh');
    await page.waitForFunction(() => document.body.getAttribute('data-state') === 'ready');
    assert.equal(await page.locator(rowOf(coded.ID)).count(), 0, 'another user’s share is not listed');

    await page.click(`${rowOf(mine.ID)} button.js-link`);
    await page.waitForFunction(() => document.getElementById('link-url').value !== '');
    assert.equal(await page.inputValue('#link-url'), mine.Url, 'the same link as at creation');
    await page.waitForFunction(() => { const i = document.getElementById('link-qr'); return i.complete && i.naturalWidth > 0; });
    await page.click('#link-close');

    await page.click(`${rowOf(mine.ID)} button.js-new-code`);
    await page.waitForSelector('#code-dialog', { state: 'visible' });
    await page.click('#code-confirm');
    await page.waitForSelector('#code-result', { state: 'visible' });
    const code = (await page.textContent('#code-value')).trim();
    assert.match(code, /^[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5}$/);
    assert.notEqual(code, mine.AccessCode);
    assert.match(await page.textContent('#code-address'), new RegExp(`${env.orthanc.url}/share/$`));
    await page.click('#code-close');
    assert.equal(await page.textContent('#code-value'), '', 'the code is not kept on the page');

    assert.equal((await env.orthanc.open({ AccessCode: mine.AccessCode })).status, 404, 'the old code no longer opens');
    assert.equal((await env.orthanc.open({ AccessCode: code })).status, 200, 'the new code opens');
    const audit = await env.orthanc.request('GET', `/studyshare/shares/${mine.ID}/audit`, { admin: true });
    assert.ok(audit.json.some((e) => e.Event === 'access-code' && e.Actor === SHARER.user), 'audited');
  });
});

test('search finds accession numbers and patient IDs; the page works at 768 px', async () => {
  const byAccession = await share({ Resources: [{ Level: 'Study', OrthancId: env.ids.study.C }], Note: 'hand', ValidityDuration: DAY });
  await env.withContext({ viewport: { width: 768, height: 1024 } }, async (context) => {
    const page = await signIn(context, ADMIN);
    await openSharesPage(page);
    await page.fill('#search', 'acc-c-0001');
    const rows = await page.$$eval('#share-rows tr', (r) => r.map((x) => x.getAttribute('data-share-id')));
    assert.ok(rows.includes(byAccession.ID), 'found by accession number');
    assert.ok(rows.length > 0);
    for (const id of rows) {
      const s = await shareJson(id);
      assert.ok(s.Studies.some((st) => st.AccessionNumber === 'ACC-C-0001'), `${id} has the accession number`);
    }
    await page.fill('#search', 'SS-P2');
    const byPatient = await page.$$eval('#share-rows tr', (r) => r.map((x) => x.getAttribute('data-share-id')));
    assert.ok(byPatient.includes(byAccession.ID), 'found by patient ID');
    await page.fill('#search', '');
    // Nothing is cut off: no horizontal scrolling and every action button inside the window.
    const fits = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      table: document.querySelector('.table-wrap').scrollWidth - document.querySelector('.table-wrap').clientWidth,
      buttons: [...document.querySelectorAll('#share-rows button')].every((b) => b.getBoundingClientRect().right <= 768),
    }));
    assert.ok(fits.scroll <= 768, `page is ${fits.scroll} px wide`);
    assert.ok(fits.table <= 0, `the table scrolls by ${fits.table} px`);
    assert.ok(fits.buttons, 'every button is inside 768 px');
    await shot(page, 'shares-768');
  });
});

test('the staff pages and the Share dialog speak French, German and Spanish; the e-mail language defaults to the page’s', async () => {
  const expected = {
    'fr-FR': { login: 'Connexion du personnel', th: 'Examen', create: 'Créer le lien', lang: 'fr' },
    'de-DE': { login: 'Anmeldung für Mitarbeitende', th: 'Studie', create: 'Link erstellen', lang: 'de' },
    'es-ES': { login: 'Acceso del personal', th: 'Estudio', create: 'Crear enlace', lang: 'es' },
  };
  for (const [locale, words] of Object.entries(expected)) {
    await env.withContext({ locale }, async (context) => {
      const page = await context.newPage();
      await page.goto(`${env.orthanc.url}/studyshare/staff/`);
      await page.waitForFunction((w) => document.querySelector('.lead').textContent === w, words.login);
      assert.equal(await page.getAttribute('html', 'lang'), words.lang);
      await page.fill('#username', SHARER.user);
      await page.fill('#password', 'wrong');
      await page.click('#login-submit');
      await page.waitForSelector('#login-error', { state: 'visible' });
      assert.doesNotMatch(await page.textContent('#login-error'), /Wrong user name/);
      await page.fill('#password', SHARER.password);
      await page.click('#login-submit');
      await page.waitForSelector('#signed-in', { state: 'visible' });

      await openSharesPage(page);
      assert.equal((await page.textContent('#shares thead th')).trim(), words.th);

      await openDialog(page, env.ids.study.A);
      assert.equal((await page.textContent('#ss-create')).trim(), words.create);
      assert.equal(await page.inputValue('#ss-email-lang'), words.lang, 'the e-mail language is the page’s');
      if (locale === 'fr-FR') {
        assert.match(await page.textContent('#ss-title'), /Partager cet examen/);
        await shot(page.locator('#studyshare-dialog .ss-panel'), 'dialog-fr', { docs: true });
      }
    });
  }
});

test('the dialog proposes DefaultValidityDuration, keeps focus inside, closes on Escape, and speaks of limits in days', async () => {
  await env.withContext({}, async (context) => {
    const page = await signIn(context, SHARER);
    await openDialog(page, env.ids.study.A);
    assert.equal(await page.inputValue('#ss-expiry'), '15', 'DefaultValidityDuration (15 days) is selected');
    const choices = await page.$$eval('#ss-expiry option', (o) => o.map((x) => x.value));
    assert.deepEqual(choices, ['0', '7', '15', '30', 'date'], 'nothing beyond MaxValidityDuration (60 days)');

    // Tab and Shift+Tab stay inside the dialog.
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press('Tab');
      assert.ok(await page.evaluate(() => document.getElementById('studyshare-dialog').contains(document.activeElement)),
        `focus left the dialog after ${i + 1} Tab`);
    }
    for (let i = 0; i < 5; i++) {
      await page.keyboard.press('Shift+Tab');
      assert.ok(await page.evaluate(() => document.getElementById('studyshare-dialog').contains(document.activeElement)));
    }

    // A date beyond the server's limit: the error says it in days.
    await page.selectOption('#ss-expiry', 'date');
    const far = new Date(Date.now() + 200 * DAY * 1000).toISOString().slice(0, 10);
    await page.fill('#ss-expiry-date', far);
    await page.click('#ss-create');
    await page.waitForSelector('#ss-error', { state: 'visible' });
    const error = await page.textContent('#ss-error');
    assert.match(error, /at most 60 days/);
    assert.doesNotMatch(error, /seconds|ValidityDuration|ExpirationDate/);

    await page.keyboard.press('Escape');
    await page.waitForSelector('#studyshare-dialog', { state: 'detached' });

    // Created with the default: the share lasts 15 days.
    await openDialog(page, env.ids.study.A);
    const created = page.waitForResponse((r) => r.url().endsWith('/studyshare/shares') && r.request().method() === 'POST');
    await page.click('#ss-create');
    const body = await (await created).json();
    const days = (Date.parse(body.ExpirationDate) - Date.now()) / (DAY * 1000);
    assert.ok(days > 14.9 && days <= 15, `the link lasts ${days} days`);
  });
});

test('without SMTP the dialog has no e-mail field', async () => {
  await env.withContext({}, async (context) => {
    const page = await signIn(context, SHARER, withoutSmtp());
    await openDialog(page, env.ids.study.A, withoutSmtp());
    assert.equal(await page.locator('#ss-email').count(), 0);
    assert.equal(await page.locator('#ss-email-lang').count(), 0);
    assert.ok(await page.isVisible('#ss-note'));
    assert.equal(await page.inputValue('#ss-expiry'), '30', 'the default DefaultValidityDuration is 30 days');
  });
});

test('a sharer pressing an Explorer button its role may not use is told so', async () => {
  await env.withContext({}, async (context) => {
    const page = await signIn(context, SHARER);
    await page.goto(`${env.orthanc.url}/app/explorer.html#study?uuid=${env.ids.study.C}`);
    await page.waitForSelector('#studyshare-share-study', { state: 'visible', timeout: 15000 });
    await page.click('#study-delete');
    await page.locator('.ui-simpledialog-container a', { hasText: 'OK' }).click();
    await page.waitForSelector('#studyshare-notice', { state: 'visible', timeout: 15000 });
    assert.match(await page.textContent('#studyshare-notice'), /role \(sharer\) does not allow deleting/);
  });
  const still = await env.orthanc.request('GET', `/studies/${env.ids.study.C}`, { admin: true });
  assert.equal(still.status, 200, 'the study is still there');
});
