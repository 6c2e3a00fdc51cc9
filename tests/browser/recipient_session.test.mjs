// SPDX-License-Identifier: GPL-3.0-or-later
// Browser tests of issue 14 on the recipient page (web/share/): the link's validity in
// four languages, the tab's session surviving reload and reopen without spending uses,
// the access code asked with the link, and the lockout saying how long to wait.
//
//   cd tests/browser && node --test --test-concurrency=1 recipient_session.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from './orthanc.mjs';
import { useSuite, waitState, shot, DESKTOP, PHONE } from './suite.mjs';

const LANGS = ['en', 'fr', 'de', 'es'];
const I18N = Object.fromEntries(LANGS.map((l) =>
  [l, JSON.parse(readFileSync(join(REPO, 'web', 'share', 'i18n', `${l}.json`), 'utf8'))]));
const DAY = 24 * 3600;

const env = useSuite({ upload: ['A'] });

function shareBody(extra = {}) {
  return { Resources: [{ Level: 'Study', OrthancId: env.ids.study.A }], ValidityDuration: 3600, Permissions: ['View'], ...extra };
}

async function openLink(context, url) {
  const page = await context.newPage();
  await page.goto(url);
  return page;
}

async function uses(id) {
  const r = await env.orthanc.request('GET', `/studyshare/shares/${id}`, { admin: true });
  assert.equal(r.status, 200);
  return r.json.Uses;
}

/** The page's own long date-and-time format for `iso` in `lang` (UTC contexts). */
function longDate(iso, lang) {
  return new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' }).format(new Date(iso));
}

const text = async (page, selector) => (await page.textContent(selector)).trim();

// ------------------------------------------------------------------ 1. the link's validity
test('the study page says until when the link works, in four languages', async () => {
  const share = await env.orthanc.createShare(shareBody({ ValidityDuration: 7 * DAY }));
  assert.ok(share.ExpirationDate, 'a 7-day share has an end');
  await env.withContext(DESKTOP, async (context) => {
    const page = await openLink(context, share.Url);
    await waitState(page, 'study');
    const expected = I18N.en['validity.until'].replace('{date}', longDate(share.ExpirationDate, 'en'));
    assert.equal(await text(page, '#share-validity'), expected);
    // The session (hours) is said apart from the link (a week).
    assert.ok(await page.isVisible('#session-ends'), 'the session end is said separately');
    assert.notEqual(await text(page, '#session-ends'), await text(page, '#share-validity'));
    await page.waitForFunction(() => [...document.querySelectorAll('img.thumb-img')].every((i) => i.complete && i.naturalWidth > 0));
    await shot(page, 'recipient-validity', { docs: true });
    for (const lang of ['fr', 'de', 'es']) {
      await page.selectOption('#lang-select', lang);
      const sentence = I18N[lang]['validity.until'].replace('{date}', longDate(share.ExpirationDate, lang));
      await page.waitForFunction(([s]) => document.getElementById('share-validity').textContent.trim() === s,
        [sentence], { timeout: 5000 }).catch(async () => {
        assert.equal(await text(page, '#share-validity'), sentence, `${lang}`);
      });
    }
  });
});

test('a link that never expires says so', async () => {
  const share = await env.orthanc.createShare(shareBody({ ValidityDuration: 0 }));
  await env.withContext(PHONE, async (context) => {
    const page = await openLink(context, share.Url);
    await waitState(page, 'study');
    assert.equal(await text(page, '#share-validity'), I18N.en['validity.never']);
    assert.ok(await page.isVisible('#session-ends'));
  });
});

// ------------------------------------------------------------------ 2. the tab's session
test('a 2-use link survives open, reload and reopen in the same tab, spending one use', async () => {
  const share = await env.orthanc.createShare(shareBody({ MaxUses: 2 }));
  await env.withContext(PHONE, async (context) => {
    const page = await openLink(context, share.Url);
    await waitState(page, 'study');
    assert.equal(await uses(share.ID), 1);

    await page.reload();
    await waitState(page, 'study');
    assert.equal(await text(page, '#patient-name'), 'DOE JANE');
    assert.equal(await uses(share.ID), 1, 'a reload spends no use');

    await page.goto('about:blank');
    await page.goto(share.Url);
    await waitState(page, 'study');
    assert.equal(await uses(share.ID), 1, 'reopening the link in the same tab spends no use');

    // Kept in this tab only: sessionStorage, never localStorage.
    const stored = await page.evaluate(() => ({
      session: Object.keys(sessionStorage), local: Object.entries(localStorage).map(([k, v]) => k + '=' + v) }));
    assert.deepEqual(stored.session, ['studyshare.session']);
    assert.ok(stored.local.every((e) => !e.includes('eyJ')), `a token in localStorage: ${stored.local}`);

    // Another tab has no session: its open spends the second use, and a third tab finds the limit.
    const second = await openLink(context, share.Url);
    await waitState(second, 'study');
    assert.equal(await uses(share.ID), 2);
    const third = await openLink(context, share.Url);
    await waitState(third, 'exhausted');
    // The first tab still resumes its session after the link ran out.
    await page.reload();
    await waitState(page, 'study');
  });
});

test('a reloaded tab whose share was revoked says so and forgets the session', async () => {
  const share = await env.orthanc.createShare(shareBody());
  await env.withContext(PHONE, async (context) => {
    const page = await openLink(context, share.Url);
    await waitState(page, 'study');
    await env.orthanc.revokeShare(share.ID);
    await page.reload();
    await waitState(page, 'revoked');
    assert.deepEqual(await page.evaluate(() => Object.keys(sessionStorage)), []);
  });
});

// ------------------------------------------------------------------ 3. the access code with the link
test('the link of a share with an access code asks for the code', async () => {
  const share = await env.orthanc.createShare(shareBody({ AccessCode: true }));
  await env.withContext(PHONE, async (context) => {
    const page = await openLink(context, share.Url);
    await waitState(page, 'challenge');
    assert.ok(await page.isVisible('#challenge-code'));
    assert.ok(!(await page.isVisible('#password')) && !(await page.isVisible('#birthdate')));
    assert.equal(await text(page, 'label[for="challenge-code"]'), I18N.en['challenge.accessCode']);

    await page.fill('#challenge-code', 'ZZZZZ-ZZZZZ-ZZZZ2');
    await page.click('#challenge-submit');
    await waitState(page, 'challenge-failed');
    assert.equal(await text(page, '#challenge-error'), I18N.en['challenge.failed']);

    await page.fill('#challenge-code', share.AccessCode.toLowerCase().replace(/-/g, ' '));
    await page.click('#challenge-submit');
    await waitState(page, 'study');
  });
});

// ------------------------------------------------------------------ 4. how long to wait
test('the lockout page says how long to wait', async () => {
  // The browser harness's Orthanc locks a share after 3 wrong answers (LockoutSeconds: 900).
  const share = await env.orthanc.createShare(shareBody({ AccessCode: true }));
  await env.withContext(PHONE, async (context) => {
    const page = await openLink(context, share.Url);
    await waitState(page, 'challenge');
    for (const wrong of ['ZZZZZ-ZZZZZ-ZZZZ2', 'ZZZZZ-ZZZZZ-ZZZZ3']) {
      await page.fill('#challenge-code', wrong);
      await page.click('#challenge-submit');
      await waitState(page, 'challenge-failed');
    }
    const answer = page.waitForResponse((r) => r.url().endsWith('/share/api/open'));
    await page.fill('#challenge-code', 'ZZZZZ-ZZZZZ-ZZZZ4');
    await page.click('#challenge-submit');
    const locked = await (await answer).json();
    await waitState(page, 'locked');
    assert.ok(await page.isVisible('#locked-until'));
    const minutes = Math.ceil(locked.RetryAfter / 60);
    const expected = I18N.en['state.locked.until']
      .replace('{time}', longDate(locked.LockedUntil, 'en')).replace('{minutes}', String(minutes));
    assert.equal(await text(page, '#locked-until'), expected);
    // Whole seconds, window inclusive: up to LockoutSeconds + 1 (15 min + 1 s) rounds up to 16.
    assert.ok(minutes >= 14 && minutes <= 16, `wait of ${minutes} min`);
  });
});
