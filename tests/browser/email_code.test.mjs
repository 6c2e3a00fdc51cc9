// SPDX-License-Identifier: GPL-3.0-or-later
// Browser test of issue 18, point 3: a share that asks a one-time code e-mailed to the
// recipient, opened on a phone through a real SMTP server (Debian's aiosmtpd writing a
// Maildir): the page names the masked address, a wrong code is refused, the right one
// (read from the message) opens the study; the form is in four languages.
//
//   cd tests/browser && node --test --test-concurrency=1 email_code.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { mkdtempSync, rmSync, readdirSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, stopChild, REPO } from './orthanc.mjs';
import { useSuite, waitState, shot, PHONE } from './suite.mjs';
const I18N = Object.fromEntries(['en', 'fr', 'de', 'es'].map((l) =>
  [l, JSON.parse(readFileSync(join(REPO, 'web', 'share', 'i18n', `${l}.json`), 'utf8'))]));

let smtp = null;
let smtpDir = null;

async function startSmtp() {
  smtpDir = mkdtempSync(join(tmpdir(), 'studyshare-smtp-'));
  const port = await freePort();
  const child = spawn('/usr/bin/python3', ['-m', 'aiosmtpd', '-n', '-l', `127.0.0.1:${port}`,
    '-c', 'aiosmtpd.handlers.Mailbox', join(smtpDir, 'maildir')], { stdio: 'ignore', cwd: smtpDir });
  const deadline = Date.now() + 20000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`aiosmtpd exited (${child.exitCode})`);
    const banner = await new Promise((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('data', (d) => { socket.destroy(); resolve(String(d)); });
      socket.once('error', () => resolve(''));
    });
    if (banner.startsWith('220')) return { child, port };
    if (Date.now() > deadline) throw new Error('aiosmtpd did not answer');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The six-digit codes of the messages to `address`, oldest first, once `count` arrived. */
async function codesTo(address, count) {
  const dir = join(smtpDir, 'maildir', 'new');
  const deadline = Date.now() + 15000;
  for (;;) {
    const texts = existsSync(dir) ? readdirSync(dir).sort().map((f) => readFileSync(join(dir, f), 'utf8')) : [];
    const mine = texts.filter((t) => t.includes(address));
    if (mine.length >= count || Date.now() > deadline) {
      return mine.map((t) => (/^\s+(\d{6})\s*$/m.exec(t) || [])[1]).filter(Boolean);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

const env = useSuite({
  upload: ['A'],
  context: PHONE,
  setUp: async () => { smtp = await startSmtp(); },
  servers: [() => ({ studyShare: { Smtp: { Url: `smtp://127.0.0.1:${smtp.port}`,
    From: 'Hospital <noreply@hospital.test>', StartTls: 'none' } } })],
  tearDown: async () => {
    if (smtp) await stopChild(smtp.child).catch(() => {});
    if (smtpDir) rmSync(smtpDir, { recursive: true, force: true });
  },
});

test('the e-mailed code is asked on a phone; a wrong one is refused, the right one opens', async () => {
  const address = 'jane.doe@example.org';
  const share = await env.orthanc.createShare({ Resources: [{ Level: 'Study', OrthancId: env.ids.study.A }],
    ValidityDuration: 7 * 24 * 3600, Permissions: ['View'], RequireEmailCode: true,
    Recipient: { Email: address, Language: 'en' }, SendEmail: false });
  await env.withContext({}, async (context) => {
    const page = await context.newPage();
    await page.goto(share.ShortUrl);
    await waitState(page, 'challenge');
    assert.ok(await page.isVisible('#field-emailcode'));
    assert.ok(!(await page.isVisible('#field-password')));
    const status = (await page.textContent('#email-code-status')).trim();
    assert.equal(status, I18N.en['challenge.emailCodeSent'].replace('{address}', 'j***@example.org'));
    const [code] = await codesTo(address, 1);
    assert.match(code, /^\d{6}$/);
    await shot(page, 'email-code-page', { docs: true });

    for (const lang of ['fr', 'de', 'es']) {
      await page.selectOption('#lang-select', lang);
      await page.waitForFunction(([s]) => document.querySelector('label[for="email-code"]').textContent.trim() === s,
        [I18N[lang]['challenge.emailCode']], { timeout: 5000 });
    }
    await page.selectOption('#lang-select', 'en');

    await page.fill('#email-code', '12345');
    await page.click('#challenge-submit');
    assert.equal((await page.textContent('#challenge-error')).trim(), I18N.en['challenge.emailCodeFormat']);
    await page.fill('#email-code', String((Number(code) + 1) % 1000000).padStart(6, '0'));
    await page.click('#challenge-submit');
    await waitState(page, 'challenge-failed');
    // The refused open sent no new code (a code was given); the first one still works.
    await page.fill('#email-code', code);
    await page.click('#challenge-submit');
    await waitState(page, 'study');
    assert.equal((await codesTo(address, 1)).length, 1);
  });
});
