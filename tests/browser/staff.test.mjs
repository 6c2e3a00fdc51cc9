// SPDX-License-Identifier: GPL-3.0-or-later
// Browser tests of the staff side: sign-in page, the Share dialog injected into Orthanc
// Explorer (/app/explorer.html), the shares page (/studyshare/staff/shares.html), the
// sharer role's limits and the CSRF rule, against a real Orthanc with the plugin, in
// Debian's headless Chromium driven by playwright-core.
//
//   cd tests/browser && STUDYSHARE_PLUGIN=.../libStudyShare.so node --test --test-concurrency=1 staff.test.mjs
//
// One Orthanc and one browser for the file; a fresh browser context per actor.
// Screenshots go to test-artifacts/screenshots/; share-dialog.png and shares-page.png
// are copied to docs/screenshots/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './orthanc.mjs';
import { useSuite, shot } from './suite.mjs';

const DESKTOP = { viewport: { width: 1280, height: 820 }, deviceScaleFactor: 1 };

// A "sharer" staff user. Argon2id hash (libsodium, interactive limits) of SHARER.password.
const SHARER = {
  user: 'sam-sharer',
  password: 'sharer-pw-2026',
  hash: '$argon2id$v=19$m=65536,t=2,p=1$UXQwW2EN6niUDbQCVVsfHg$3lPwqSCtKjBLfW8da+SL3M7+2HQL65KeqqLU06xexOI',
};
const ADMIN = { user: 'admin', password: 'admin-pw' };

// An SMTP server that refuses connections: the dialog offers e-mail, sending it fails (reported).
const env = useSuite({ context: DESKTOP, servers: [{ studyShare: {
  Users: { [SHARER.user]: { PasswordHash: SHARER.hash, Role: 'sharer' } },
  Smtp: { Url: 'smtp://127.0.0.1:9', From: 'StudyShare <noreply@example.org>', TimeoutSeconds: 2 } } }] });

// ------------------------------------------------------------------ helpers

/** Signs in through the staff login page; the context then holds the session cookie. */
async function signIn(context, { user, password }) {
  const page = await context.newPage();
  await page.goto(`${env.orthanc.url}/studyshare/staff/`);
  await page.fill('#username', user);
  await page.fill('#password', password);
  await page.click('#login-submit');
  await page.waitForSelector('#signed-in', { state: 'visible' });
  assert.match(await page.textContent('#signed-in-user'), new RegExp(user));
  assert.ok(await page.isVisible('#shares-link'), 'the signed-in section links to the shares page');
  return page;
}

/** All shares, seen by the admin through the API (HTTP Basic). */
async function allShares() {
  const r = await env.orthanc.request('GET', '/studyshare/shares', { admin: true });
  assert.equal(r.status, 200);
  return r.json;
}

async function openExplorer(page, level, uuid) {
  await page.goto(`${env.orthanc.url}/app/explorer.html#${level}?uuid=${uuid}`);
  const button = `#studyshare-share-${level}`;
  await page.waitForSelector(button, { state: 'visible', timeout: 15000 });
  return button;
}

async function waitSharesPage(page) {
  await page.waitForFunction(() => document.body.getAttribute('data-state') === 'ready', null, { timeout: 15000 });
}

const rowOf = (id) => `#share-rows tr[data-share-id="${id}"]`;

async function waitRecipientState(page, state) {
  try {
    await page.waitForFunction((s) => document.body.getAttribute('data-state') === s, state, { timeout: 15000, polling: 50 });
  } catch {
    const actual = await page.evaluate(() => document.body.getAttribute('data-state')).catch(() => '?');
    throw new Error(`recipient page: expected state "${state}", page is in state "${actual}"`);
  }
}

// ------------------------------------------------------------------ 1. the whole flow
test('1. a sharer shares a study from Explorer with every option; the recipient opens it; revoking it on the shares page closes it', async () => {
  await env.withContext({}, async (staff) => {
    await staff.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: env.orthanc.url });
    const page = await signIn(staff, SHARER);

    // ---- Explorer: study A's page has a Share button that opens the dialog.
    const button = await openExplorer(page, 'study', env.ids.study.A);
    await page.click(button);
    await page.waitForSelector('#studyshare-dialog', { state: 'visible' });
    await page.waitForFunction(() => /DOE JANE/.test(document.getElementById('ss-subject').textContent));
    assert.match(await page.textContent('#ss-subject'), /CT CHEST/);
    const expiryChoices = await page.$$eval('#ss-expiry option', (o) => o.map((x) => x.value));
    assert.deepEqual(expiryChoices, ['0', '7', '15', '30', '90', '365', 'date']);
    assert.ok(!(await page.isVisible('#ss-expiry-date')), 'the date field shows only for "On a date"');

    // A form error is shown in the dialog, nothing is sent.
    await page.uncheck('#ss-perm-view');
    await page.click('#ss-create');
    await page.waitForSelector('#ss-error', { state: 'visible' });
    assert.match(await page.textContent('#ss-error'), /view or to download/);

    // Every option.
    await page.check('#ss-perm-view');
    await page.selectOption('#ss-expiry', '7');
    await page.check('#ss-perm-download');
    await page.fill('#ss-password', 'Blue-Heron-42');
    await page.check('#ss-birthdate');
    await page.check('#ss-code');
    await page.fill('#ss-max-uses', '3');
    await page.fill('#ss-email', 'dr.who@example.org');
    await page.fill('#ss-note', 'Second opinion, Dr Who');
    const posted = page.waitForRequest((r) => r.url() === `${env.orthanc.url}/studyshare/shares` && r.method() === 'POST');
    await page.click('#ss-create');
    const request = await posted;
    assert.ok(request.headers()['x-requested-with'], 'the dialog sends X-Requested-With');
    await page.waitForSelector('#ss-result', { state: 'visible' });
    assert.ok(!(await page.isVisible('#ss-error')));

    // ---- The result: link, access code, QR code, expiry in words, copy button.
    const link = await page.inputValue('#ss-link');
    assert.match(link, new RegExp(`^${env.orthanc.url}/s/#[A-Za-z0-9_-]{22}$`), 'the short link first');
    assert.match(await page.inputValue('#ss-long-link'), new RegExp(`^${env.orthanc.url}/share/#token=`));
    const code = (await page.textContent('#ss-access-code')).trim();
    assert.match(code, /^[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5}$/, `access code ${code}`);
    assert.ok(await page.isVisible('#ss-code-page'), 'the dialog says where the code is typed');
    assert.ok((await page.textContent('#ss-code-page')).includes(`${env.orthanc.url}/share/`), 'the code page is named');
    assert.match(await page.textContent('#ss-expiry-words'), /expires in 7 days/);
    assert.match(await page.textContent('#ss-protections'), /view and download, password, birth-date check, access code, up to 3 uses/);
    await page.waitForFunction(() => { const i = document.getElementById('ss-qr'); return i.complete && i.naturalWidth > 0; });
    const qrSrc = await page.getAttribute('#ss-qr', 'src');
    assert.match(qrSrc, /^\.\.\/studyshare\/shares\/[^/]+\/qr\.svg$/);
    // The QR code is served by the plugin itself (an SVG), to staff only.
    const qr = await page.request.get(new URL(qrSrc, `${env.orthanc.url}/app/`).toString());
    assert.equal(qr.status(), 200);
    assert.match(qr.headers()['content-type'], /^image\/svg\+xml/);
    assert.match(await qr.text(), /^<\?xml[\s\S]*<svg [\s\S]*<path /);
    const anonymousQr = await env.orthanc.request('GET', new URL(qrSrc, `${env.orthanc.url}/app/`).pathname);
    assert.ok([401, 403].includes(anonymousQr.status), `anonymous QR code: HTTP ${anonymousQr.status}`);

    await page.click('#ss-copy');
    await page.waitForSelector('#ss-copied', { state: 'visible' });
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), link, 'the copy button copies the link');
    await shot(page.locator('#studyshare-dialog .ss-panel'), 'share-dialog', { docs: true });

    // ---- The stored share has every option, made by the sharer.
    const shares = await allShares();
    const share = shares.find((s) => s.Note === 'Second opinion, Dr Who');
    assert.ok(share, 'the share is stored');
    assert.equal(share.CreatedBy, SHARER.user);
    assert.deepEqual(share.Permissions, ['View', 'Download']);
    assert.equal(share.HasPassword, true);
    assert.equal(share.RequireBirthDate, true);
    assert.equal(share.HasAccessCode, true);
    assert.equal(share.MaxUses, 3);
    assert.deepEqual(share.Recipient, { Email: 'dr.who@example.org', Language: 'en' });
    assert.equal(share.Studies[0].OrthancId, env.ids.study.A);
    const days = (Date.parse(share.ExpirationDate) - Date.parse(share.CreatedAt)) / 86400000;
    assert.ok(Math.abs(days - 7) < 0.01, `expires after ${days} days`);
    assert.ok(qrSrc.includes(share.ID));

    // ---- A recipient opens the link in a fresh browser context and answers the challenges.
    await env.withContext({}, async (recipientContext) => {
      const recipient = await recipientContext.newPage();
      await recipient.goto(link);
      await waitRecipientState(recipient, 'challenge');
      assert.ok(await recipient.isVisible('#challenge-code'), 'the link of a share with a code asks for it');
      await recipient.fill('#challenge-code', code);
      await recipient.fill('#password', 'Blue-Heron-42');
      await recipient.fill('#birthdate', '1980-02-15');
      await recipient.click('#challenge-submit');
      await waitRecipientState(recipient, 'study');
      assert.equal((await recipient.textContent('#study-description')).trim(), 'CT CHEST');
      assert.equal(await recipient.locator('#download-button').count(), 1, 'Download permission shows the button');

      // The access code opens the same share (with its challenges).
      const byCode = await env.orthanc.open({ AccessCode: code.toLowerCase(), Password: 'Blue-Heron-42', BirthDate: '19800215' });
      assert.equal(byCode.status, 200, JSON.stringify(byCode.json));

      // ---- The shares page lists it; search, filter, audit trail.
      const list = await staff.newPage();
      await list.goto(`${env.orthanc.url}/studyshare/staff/shares.html`);
      await waitSharesPage(list);
      const row = rowOf(share.ID);
      await list.waitForSelector(row);
      const cells = await list.$$eval(`${row} td`, (t) => t.map((c) => c.innerText.trim()));
      assert.match(cells[0], /CT CHEST/);
      assert.match(cells[1], /DOE JANE/);
      assert.match(cells[2], new RegExp(SHARER.user));
      assert.match(cells[4], /in 7 days/);
      assert.match(cells[5], /^2 \/ 3/);
      assert.match(cells[6], /Active/);

      await list.fill('#search', 'dr.who@example');
      assert.equal(await list.locator(row).count(), 1);
      await list.fill('#search', 'no-such-share-anywhere');
      assert.equal(await list.locator(row).count(), 0);
      assert.ok(await list.isVisible('#empty'));
      await list.fill('#search', '');
      await list.selectOption('#state-filter', 'revoked');
      assert.equal(await list.locator(row).count(), 0);
      await list.selectOption('#state-filter', 'active');
      assert.equal(await list.locator(row).count(), 1);

      await list.click(`${row} button.js-audit`);
      await list.waitForSelector('#audit-rows tr');
      const events = await list.$$eval('#audit-rows tr', (r) => r.map((x) => x.getAttribute('data-event')));
      assert.ok(events.includes('create'), `audit events: ${events}`);
      assert.ok(events.filter((e) => e === 'open').length >= 2, `audit events: ${events}`);
      await list.click('#audit-close');

      // Revoke asks for confirmation: "Keep it" keeps it.
      await list.click(`${row} button.js-revoke`);
      await list.waitForSelector('#revoke-dialog', { state: 'visible' });
      assert.match(await list.textContent('#revoke-text'), /CT CHEST/);
      await list.click('#revoke-cancel');
      await sleep(300);
      assert.equal((await allShares()).find((s) => s.ID === share.ID).State, 'active');

      await list.click(`${row} button.js-revoke`);
      await list.waitForSelector('#revoke-dialog', { state: 'visible' });
      const deleted = list.waitForResponse((r) => r.request().method() === 'DELETE');
      await list.click('#revoke-confirm');
      assert.equal((await deleted).status(), 200);
      await list.selectOption('#state-filter', 'all');
      await list.waitForSelector(`${row}[data-state="revoked"]`);
      assert.equal(await list.locator(`${row} button.js-revoke`).count(), 0, 'a revoked share has no Revoke button');
      assert.equal((await allShares()).find((s) => s.ID === share.ID).State, 'revoked');

      // ---- The recipient opens the link again: the revoked message.
      await recipient.goto('about:blank');
      await recipient.goto(link);
      await waitRecipientState(recipient, 'revoked');
      assert.ok(await recipient.isVisible('#state-revoked'));
      const again = await env.orthanc.open({ AccessCode: code, Password: 'Blue-Heron-42', BirthDate: '19800215' });
      assert.equal(again.json?.Error, 'revoked');

      // ---- More shares for the screenshot: one that expires, one never, one used up.
      const make = async (body) => {
        const r = await list.request.post(`${env.orthanc.url}/studyshare/shares`, {
          data: { Permissions: ['View'], ...body }, headers: { 'X-Requested-With': 'StudyShare' } });
        assert.equal(r.status(), 201, await r.text());
        return r.json();
      };
      const expired = await make({ Resources: [{ Level: 'Study', OrthancId: env.ids.study.C }], ValidityDuration: 1, Note: 'Short test' });
      await make({ Resources: [{ Level: 'Study', OrthancId: env.ids.study.B }], Note: 'Family doctor' });
      const once = await make({ Resources: [{ Level: 'Study', OrthancId: env.ids.study.B }], ValidityDuration: 30 * 86400, MaxUses: 1,
        Recipient: { Email: 'patient@example.net' } });
      assert.equal((await env.orthanc.open({ Token: once.Token })).status, 200);
      for (const deadline = Date.now() + 10000; ;) {
        const r = await env.orthanc.open({ Token: expired.Token });
        if (r.json?.Error === 'expired') break;
        assert.ok(Date.now() < deadline, 'the 1-second share expires');
        await sleep(100);
      }
      await list.click('#refresh');
      await waitSharesPage(list);
      await list.waitForSelector(`${rowOf(expired.ID)}[data-state="expired"]`);
      await list.waitForSelector(`${rowOf(once.ID)}[data-state="exhausted"]`);
      await list.selectOption('#state-filter', 'expired');
      assert.deepEqual(await list.$$eval('#share-rows tr', (r) => r.map((x) => x.getAttribute('data-share-id'))), [expired.ID]);
      await list.selectOption('#state-filter', 'all');
      assert.equal(await list.locator('#share-rows tr').count(), 4);
      await shot(list, 'shares-page', { docs: true });
    });
  });
});

// ------------------------------------------------------------------ 2. patient page
test('2. on a patient page the dialog shares the chosen studies, with an expiry date or none', async () => {
  await env.withContext({}, async (staff) => {
    const page = await signIn(staff, SHARER);
    const button = await openExplorer(page, 'patient', env.ids.patient.A);
    await page.click(button);
    await page.waitForSelector('#ss-studies input[name="ss-study"]');
    const choices = await page.$$eval('#ss-studies input[name="ss-study"]', (l) => l.map((i) => ({ id: i.value, checked: i.checked })));
    assert.deepEqual(choices.map((c) => c.id).sort(), [env.ids.study.A, env.ids.study.B].sort(), 'the patient\'s two studies');
    assert.ok(choices.every((c) => !c.checked), 'no study is chosen for the user');

    // Nothing chosen: refused in the dialog.
    await page.click('#ss-create');
    await page.waitForSelector('#ss-error', { state: 'visible' });
    assert.match(await page.textContent('#ss-error'), /at least one study/);

    await page.check(`#ss-studies input[value="${env.ids.study.B}"]`);
    await page.selectOption('#ss-expiry', 'date');
    await page.waitForSelector('#ss-expiry-date', { state: 'visible' });
    const day = new Date(Date.now() + 10 * 86400000).toISOString().slice(0, 10);
    await page.fill('#ss-expiry-date', day);
    await page.click('#ss-create');
    await page.waitForSelector('#ss-result', { state: 'visible' });
    assert.match(await page.textContent('#ss-expiry-words'), /expires in (10|11) days/);
    assert.ok(!(await page.isVisible('#ss-code-box')), 'no access code was asked for');
    const link = await page.inputValue('#ss-link');
    const share = (await allShares()).find((s) => s.Studies.length === 1 && s.Studies[0].OrthancId === env.ids.study.B &&
      s.ExpirationDate && s.ExpirationDate.startsWith(day));
    assert.ok(share, `a share of study B expiring on ${day}`);
    assert.equal(share.ExpirationDate, `${day}T23:59:59Z`, 'the end of the chosen day (UTC browser)');
    assert.deepEqual(share.Permissions, ['View']);
    await page.click('#ss-done');
    assert.equal(await page.locator('#studyshare-dialog').count(), 0);

    // Both studies, never expiring.
    await page.click(button);
    await page.waitForSelector('#ss-studies input[name="ss-study"]');
    await page.check(`#ss-studies input[value="${env.ids.study.A}"]`);
    await page.check(`#ss-studies input[value="${env.ids.study.B}"]`);
    await page.selectOption('#ss-expiry', '0');
    await page.click('#ss-create');
    await page.waitForSelector('#ss-result', { state: 'visible' });
    assert.match(await page.textContent('#ss-expiry-words'), /never expires/);
    const both = await page.inputValue('#ss-link');
    assert.notEqual(both, link);
    const r = await env.orthanc.open({ Key: both.split('/s/#')[1] });
    assert.equal(r.status, 200);
    assert.deepEqual(r.json.Studies.map((s) => s.OrthancId).sort(), [env.ids.study.A, env.ids.study.B].sort());
    // Escape closes the dialog.
    await page.keyboard.press('Escape');
    assert.equal(await page.locator('#studyshare-dialog').count(), 0);
  });
});

// ------------------------------------------------------------------ 3. the sharer role
test('3. a sharer cannot reach admin-only routes, nor see others\' shares', async () => {
  const adminShare = await env.orthanc.createShare({ Resources: [{ Level: 'Study', OrthancId: env.ids.study.C }], ValidityDuration: 3600, Note: 'admin only' });
  await env.withContext({}, async (staff) => {
    const page = await signIn(staff, SHARER);
    const api = page.request;
    const h = { 'X-Requested-With': 'StudyShare' };
    // Reading is allowed.
    assert.equal((await api.get(`${env.orthanc.url}/studies/${env.ids.study.A}`)).status(), 200);
    // Writes, deletions and tools are not (even with the CSRF header).
    const forbidden = [
      ['DELETE', `/studies/${env.ids.study.B}`],
      ['DELETE', `/patients/${env.ids.patient.C}`],
      ['POST', `/studies/${env.ids.study.A}/anonymize`, {}],
      ['POST', `/studies/${env.ids.study.A}/modify`, { Replace: { PatientName: 'X' } }],
      ['POST', '/tools/execute-script', 'print(42)'],
      ['POST', '/tools/reset', ''],
      ['POST', '/tools/shutdown', ''],
      ['PUT', `/studies/${env.ids.study.A}/metadata/1024`, 'x'],
      ['POST', '/modalities/x/echo', ''],
    ];
    for (const [method, path, data] of forbidden) {
      const r = await api.fetch(`${env.orthanc.url}${path}`, { method, headers: h, data });
      assert.equal(r.status(), 403, `${method} ${path} as a sharer: HTTP ${r.status()}`);
    }
    assert.equal((await env.orthanc.request('GET', `/studies/${env.ids.study.B}`, { admin: true })).status, 200, 'study B is still there');
    assert.equal((await env.orthanc.request('GET', '/system', { admin: true })).status, 200, 'Orthanc still runs');

    // Another user's share: invisible and not revocable.
    const own = await api.post(`${env.orthanc.url}/studyshare/shares`, { headers: h,
      data: { Resources: [{ Level: 'Study', OrthancId: env.ids.study.A }], ValidityDuration: 3600 } });
    assert.equal(own.status(), 201, 'a sharer may create shares');
    const mine = await (await api.get(`${env.orthanc.url}/studyshare/shares`)).json();
    assert.ok(mine.length > 0 && mine.every((s) => s.CreatedBy === SHARER.user), 'a sharer lists only its own shares');
    assert.equal((await api.get(`${env.orthanc.url}/studyshare/shares/${adminShare.ID}`)).status(), 404);
    assert.equal((await api.get(`${env.orthanc.url}/studyshare/shares/${adminShare.ID}/qr.svg`)).status(), 404);
    assert.equal((await api.fetch(`${env.orthanc.url}/studyshare/shares/${adminShare.ID}`, { method: 'DELETE', headers: h })).status(), 404);
    assert.equal((await allShares()).find((s) => s.ID === adminShare.ID).State, 'active');

    // The shares page shows only the sharer's own shares.
    const list = await staff.newPage();
    await list.goto(`${env.orthanc.url}/studyshare/staff/shares.html`);
    await waitSharesPage(list);
    assert.equal(await list.locator(rowOf(adminShare.ID)).count(), 0);
    assert.match(await list.textContent('#whoami'), /sharer/);
  });
  // Signed out, the shares page sends to the sign-in page.
  await env.withContext({}, async (anonymous) => {
    const page = await anonymous.newPage();
    await page.goto(`${env.orthanc.url}/studyshare/staff/shares.html`);
    await page.waitForURL(/\/studyshare\/staff\/\?next=/);
    await page.waitForSelector('#login-form', { state: 'visible' });
  });
});

// ------------------------------------------------------------------ 4. CSRF
test('4. a forged cross-site request with the staff cookie is refused and creates no share', async () => {
  const before = (await allShares()).length;
  const body = JSON.stringify({ Resources: [{ Level: 'Study', OrthancId: env.ids.study.A }], ValidityDuration: 0, Note: 'forged' });
  // A text/plain form whose single field spells the JSON body (the classic trick), and a
  // no-cors fetch with credentials: neither can add a custom header.
  const name = body.slice(0, -1) + ',"X":"';
  const html = `<!doctype html><html><body>
<form id="f" method="POST" enctype="text/plain" action="${env.orthanc.url}/studyshare/shares">
<input type="hidden" name='${name}' value='"}'></form>
<script>
fetch(${JSON.stringify(env.orthanc.url + '/studyshare/shares')}, { method: 'POST', mode: 'no-cors', credentials: 'include',
  headers: { 'Content-Type': 'text/plain' }, body: ${JSON.stringify(body)} })
  .then(function () { document.title = 'fetched'; }, function () { document.title = 'fetch-failed'; })
  .then(function () { if (location.hash !== '#nopost') { document.getElementById('f').submit(); } });
</script></body></html>`;
  const evil = createServer((req, res) => { res.writeHead(200, { 'Content-Type': 'text/html' }); res.end(html); });
  const port = await freePort();
  await new Promise((r) => evil.listen(port, '127.0.0.1', r));
  try {
    await env.withContext({}, async (staff) => {
      await signIn(staff, ADMIN);
      // Same site (127.0.0.1), other origin (port): the SameSite cookie IS sent; the header rule must refuse.
      // Cross-site (localhost vs 127.0.0.1): the cookie is not even sent.
      for (const origin of [`http://127.0.0.1:${port}`, `http://localhost:${port}`]) {
        const page = await staff.newPage();
        const formPost = page.waitForResponse((r) => r.url() === `${env.orthanc.url}/studyshare/shares` &&
          r.request().method() === 'POST' && r.request().resourceType() === 'document', { timeout: 15000 });
        await page.goto(`${origin}/evil.html`);
        const answer = await formPost;
        assert.ok([401, 403].includes(answer.status()), `${origin}: forged form post answered HTTP ${answer.status()}`);
        await page.close();
      }
    });
  } finally {
    await new Promise((r) => evil.close(r));
  }
  const afterList = await allShares();
  assert.equal(afterList.length, before, 'no share was created');
  assert.ok(!afterList.some((s) => s.Note === 'forged'));
});
