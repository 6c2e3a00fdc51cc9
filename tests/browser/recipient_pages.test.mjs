// SPDX-License-Identifier: GPL-3.0-or-later
// Browser tests of the recipient pages (web/share/) against a real Orthanc with the
// StudyShare plugin, in Debian's headless Chromium driven by playwright-core.
//
//   cd tests/browser && node --test --test-concurrency=1 .
//
// One Orthanc and one browser for the whole file, a fresh browser context per test.
// Screenshots of every page state go to test-artifacts/screenshots/ (git-ignored);
// a few small ones are copied to docs/screenshots/ for the documentation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { REPO } from './orthanc.mjs';
import { useSuite, waitState, stateOf, shot, DESKTOP, PHONE, waitCanvasImage } from './suite.mjs';

const I18N = Object.fromEntries(['en', 'fr', 'de', 'es'].map((l) =>
  [l, JSON.parse(readFileSync(join(REPO, 'web', 'share', 'i18n', `${l}.json`), 'utf8'))]));

// Orthanc IDs by fixture key: env.ids.study.A, env.ids.series.A = [..], ...
const env = useSuite({ ready: ({ ids }) => assert.equal(ids.series.A.length, 2, 'study A has two series') });

// ------------------------------------------------------------------ helpers
function shareBody(extra = {}, key = 'A') {
  return { Resources: [{ Level: 'Study', OrthancId: env.ids.study[key] }], ValidityDuration: 3600, Permissions: ['View'], ...extra };
}

/** The visible state sections: exactly one is expected. */
async function visibleSections(page) {
  return page.evaluate(() => [...document.querySelectorAll('main > section[id^="state-"]')]
    .filter((s) => !s.hidden && s.getBoundingClientRect().height > 0).map((s) => s.id));
}

async function expectSection(page, state, sectionId = `state-${state}`) {
  await waitState(page, state);
  assert.deepEqual(await visibleSections(page), [sectionId], `only #${sectionId} is visible`);
}

/** Pixel statistics of an <img> (or canvas) drawn onto a fresh 2D canvas. */
function pixelStats(page, selector) {
  return page.evaluate((sel) => {
    const el = document.querySelector(sel);
    if (!el) return null;
    const w = el.naturalWidth || el.width;
    const h = el.naturalHeight || el.height;
    if (!w || !h) return { w, h, variance: 0, distinct: 0, hash: '' };
    const c = document.createElement('canvas');
    c.width = w; c.height = h;
    const ctx = c.getContext('2d');
    ctx.drawImage(el, 0, 0);
    const d = ctx.getImageData(0, 0, w, h).data;
    let sum = 0, sum2 = 0, hash = 2166136261;
    const seen = new Set();
    for (let i = 0; i < d.length; i += 4) {
      const v = (d[i] * 299 + d[i + 1] * 587 + d[i + 2] * 114) / 1000;
      sum += v; sum2 += v * v;
      seen.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
      hash = Math.imul(hash ^ d[i] ^ (d[i + 1] << 8) ^ (d[i + 2] << 16), 16777619) >>> 0;
    }
    const n = d.length / 4;
    return { w, h, variance: sum2 / n - (sum / n) ** 2, distinct: seen.size, hash: hash.toString(16) };
  }, selector);
}

async function waitViewerImage(page, notInstance = null) {
  await page.waitForFunction((prev) => {
    const img = document.getElementById('viewer-image');
    return img && !img.hidden && img.complete && img.naturalWidth > 0 &&
      img.getAttribute('data-instance-id') && img.getAttribute('data-instance-id') !== prev;
  }, notInstance, { timeout: 15000, polling: 50 });
}

async function openLink(context, url) {
  const page = await context.newPage();
  await page.goto(url);
  return page;
}

/** Opens a share link in a fresh page and waits for the study page with its first image. */
async function openStudy(context, url) {
  const page = await openLink(context, url);
  await expectSection(page, 'study');
  await waitViewerImage(page);
  return page;
}

async function noHorizontalOverflow(page) {
  const { sw, iw } = await page.evaluate(() => ({ sw: document.documentElement.scrollWidth, iw: window.innerWidth }));
  assert.ok(sw <= iw, `page is ${sw}px wide in a ${iw}px viewport (horizontal scrolling)`);
}

// Filled by test 1, checked by test 8.
const recorded = { token: null, requests: [] };

// ------------------------------------------------------------------ 1. open a link on a phone
test('1. a link opens the study page with images on a phone screen', async () => {
  const share = await env.orthanc.createShare(shareBody());
  assert.match(share.Url, /\/share\/#token=/);
  recorded.token = share.Token;
  await env.withContext(PHONE, async (context) => {
    const requests = [];
    context.on('request', (r) => requests.push(r));
    const page = await openStudy(context, share.Url);

    // The token is gone from the address bar at once.
    assert.ok(!page.url().includes(share.Token), `address bar still holds the token: ${page.url()}`);
    assert.ok(!page.url().includes('token'), `address bar: ${page.url()}`);
    assert.equal(await page.evaluate(() => location.hash), '');

    // Patient and study facts.
    assert.equal((await page.textContent('#patient-name')).trim(), 'DOE JANE');
    assert.equal((await page.textContent('#patient-birthdate')).trim(), 'February 15, 1980');
    assert.equal((await page.textContent('#study-date')).trim(), 'January 10, 2025');
    assert.equal((await page.textContent('#study-description')).trim(), 'CT CHEST');
    assert.ok(await page.isVisible('#patient-birthdate'));

    // Two series, each with a real thumbnail.
    assert.equal(await page.locator('li.series-item').count(), 2);
    await page.waitForFunction(() => {
      const t = [...document.querySelectorAll('li.series-item img.thumb-img')];
      return t.length === 2 && t.every((i) => !i.hidden && i.complete && i.naturalWidth > 0);
    }, null, { timeout: 15000 });
    const thumbs = await page.$$eval('img.thumb-img', (l) => l.map((i) => ({ w: i.naturalWidth, src: i.src })));
    assert.equal(thumbs.length, 2);
    for (const t of thumbs) {
      assert.ok(t.w > 0);
      assert.match(t.src, /^blob:/, 'thumbnails are loaded with the session, as blob: URLs');
    }

    // The first image: loaded, not a blank square.
    const first = await pixelStats(page, '#viewer-image');
    assert.ok(first.w > 0 && first.h > 0, 'viewer image has a size');
    assert.ok(first.variance > 10 && first.distinct > 2, `viewer image looks uniform: ${JSON.stringify(first)}`);
    assert.equal((await page.textContent('#viewer-counter')).trim(), '1 / 3');
    const firstId = await page.getAttribute('#viewer-image', 'data-instance-id');

    await noHorizontalOverflow(page);
    await shot(page, 'study-phone', { docs: true });
    await shot(page, 'study-phone-full', { fullPage: true });

    // Paging with the keyboard.
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction(() => document.getElementById('viewer-counter').textContent.trim() === '2 / 3', null, { timeout: 5000 });
    await waitViewerImage(page, firstId);
    const second = await pixelStats(page, '#viewer-image');
    assert.notEqual(second.hash, first.hash, 'ArrowRight shows a different image');
    assert.ok(second.variance > 10, 'second image is not uniform');

    // Let background loads (prefetch) settle, then keep what test 8 needs.
    await page.waitForLoadState('networkidle');
    for (const r of requests) {
      recorded.requests.push({
        url: r.url(), method: r.method(), isNavigation: r.isNavigationRequest(),
        headers: await r.allHeaders().catch(() => r.headers()), postData: r.postData(),
      });
    }
  });
});

// ------------------------------------------------------------------ 8. no leak (data from test 1)
test('8. no request of the page leaks the share token', () => {
  const { token, requests } = recorded;
  assert.ok(token && requests.length > 5, `test 1 recorded ${requests.length} requests`);
  const origin = env.orthanc.url;
  let openPosts = 0;
  for (const r of requests) {
    const u = new URL(r.url);
    if (u.protocol === 'data:') continue;              // the empty favicon, no network
    assert.equal(u.origin, origin, `request to another origin: ${r.url}`);
    // The fragment never leaves the browser; the rest of the URL does.
    const wire = r.url.split('#')[0];
    assert.ok(!wire.includes(token), `token in the URL of ${r.method} ${wire}`);
    if (r.url.includes('#')) assert.ok(r.isNavigation, `fragment on a non-navigation request: ${r.url}`);
    for (const [name, value] of Object.entries(r.headers)) {
      assert.ok(!value.includes(token), `token in header ${name} of ${r.method} ${wire}`);
      // (Playwright reports an empty Referer for blob: loads; nothing is sent for those.)
      if (name.toLowerCase() === 'referer' && value !== '') {
        assert.fail(`Referer header sent with ${r.method} ${wire}: ${value}`);
      }
    }
    const isOpen = r.method === 'POST' && u.pathname === '/share/api/open';
    if (isOpen) {
      openPosts++;
      assert.equal(JSON.parse(r.postData).Token, token, 'the open request carries the token in its body');
    } else {
      assert.ok(!(r.postData || '').includes(token), `token in the body of ${r.method} ${wire}`);
    }
  }
  assert.equal(openPosts, 1, 'exactly one POST /share/api/open');
  // Images were fetched with the session (Authorization header), not with the share token.
  const imageRequests = requests.filter((r) => /\/instances\/[^/]+\/preview$/.test(new URL(r.url).pathname));
  assert.ok(imageRequests.length >= 3, `${imageRequests.length} preview requests`);
  for (const r of imageRequests) assert.match(r.headers.authorization || '', /^Bearer \S+$/);
});

test('8b. the recipient page is served with no-referrer, a strict CSP and no-store', async () => {
  const r = await fetch(`${env.orthanc.url}/share/`);
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('referrer-policy'), 'no-referrer');
  assert.match(r.headers.get('cache-control') || '', /no-store/);
  const csp = r.headers.get('content-security-policy') || '';
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /script-src 'self'(;|$)/);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*/);
  const open = await fetch(`${env.orthanc.url}/share/api/open`, { method: 'POST', body: '{"Token":"x"}', headers: { 'Content-Type': 'application/json' } });
  assert.equal(open.headers.get('referrer-policy'), 'no-referrer');
  assert.match(open.headers.get('cache-control') || '', /no-store/);
});

// ------------------------------------------------------------------ desktop layout
test('1b. the study page on a desktop screen', async () => {
  const share = await env.orthanc.createShare(shareBody({ Permissions: ['View', 'Download'] }));
  await env.withContext(DESKTOP, async (context) => {
    const page = await openStudy(context, share.Url);
    await page.waitForFunction(() => [...document.querySelectorAll('img.thumb-img')].every((i) => i.complete && i.naturalWidth > 0));
    await shot(page, 'study-desktop', { docs: true });
    await noHorizontalOverflow(page);
    assert.equal(await page.locator('#download-button').count(), 1);
    const img = await page.locator('#viewer-image').boundingBox();
    const stage = await page.locator('#viewer-stage').boundingBox();
    assert.ok(img && stage && img.width > 0 && img.x >= stage.x && img.x + img.width <= stage.x + stage.width + 0.5,
      `the image lies inside the viewer stage: ${JSON.stringify({ img, stage })}`);
    assert.ok(stage.y + 100 < 800, 'the viewer starts within the first screen');
  });
});

// An image smaller than the stage (the 64x64 fixtures, a 256x256 MR, a CR preview...)
// must be scaled to fit, not shown at its natural size in a large black box.
test('1c. the built-in viewer scales a small image up to fill its stage', async () => {
  const share = await env.orthanc.createShare(shareBody());
  for (const options of [PHONE, DESKTOP]) {
    await env.withContext(options, async (context) => {
      const page = await openStudy(context, share.Url);
      const img = await page.locator('#viewer-image').boundingBox();
      const stage = await page.locator('#viewer-stage').boundingBox();
      const fit = Math.min(stage.width, stage.height);
      assert.ok(img.width >= 0.8 * fit || img.height >= 0.8 * fit,
        `${options.viewport.width}px: image ${img.width}x${img.height} in a ${stage.width}x${stage.height} stage`);
    });
  }
});

// ------------------------------------------------------------------ 2. error states
test('2. each error case shows its own message', async () => {
  const expired = await env.orthanc.createShare(shareBody({ ValidityDuration: 1 }));
  const revoked = await env.orthanc.createShare(shareBody());
  const exhausted = await env.orthanc.createShare(shareBody({ MaxUses: 1 }));
  const signed = await env.orthanc.createShare(shareBody());

  await env.orthanc.revokeShare(revoked.ID);
  const first = await env.orthanc.open({ Token: exhausted.Token });
  assert.equal(first.status, 200, 'the single use of the MaxUses 1 share');

  // Wait until the 1-second share has really expired (polling the API, no fixed sleep).
  const deadline = Date.now() + 15000;
  for (;;) {
    const r = await env.orthanc.open({ Token: expired.Token });
    if (r.json?.Error === 'expired') break;
    assert.ok(Date.now() < deadline, `share not expired yet: ${r.status} ${JSON.stringify(r.json)}`);
    await sleep(100);
  }

  // A flipped character in the middle of the signature (not the last one, whose low
  // bits a lenient base64url decoder may ignore).
  const [h, p, sig] = signed.Token.split('.');
  const i = Math.floor(sig.length / 2);
  const flipped = `${h}.${p}.${sig.slice(0, i)}${sig[i] === 'A' ? 'B' : 'A'}${sig.slice(i + 1)}`;
  assert.notEqual(flipped, signed.Token);

  const base = `${env.orthanc.url}/share/`;
  const cases = [
    { name: 'expired', url: expired.Url, id: expired.ID },
    { name: 'revoked', url: revoked.Url, id: revoked.ID },
    { name: 'exhausted', url: exhausted.Url, id: exhausted.ID },
    { name: 'invalid', url: `${base}#token=not-a-token-at-all`, shot: 'invalid' },
    { name: 'invalid', url: `${base}?r=2#token=${encodeURIComponent(flipped)}`, shot: 'invalid-signature', id: signed.ID },
    { name: 'invalid', url: `${base}?r=3#token=${encodeURIComponent(signed.Token.slice(0, -10))}`, shot: 'invalid-truncated' },
  ];
  await env.withContext(PHONE, async (context) => {
    for (const c of cases) {
      const page = await openLink(context, c.url);
      await expectSection(page, c.name);
      const title = (await page.textContent(`#state-${c.name} h1`)).trim();
      const key = c.name === 'invalid' ? 'state.invalid.title' : `state.${c.name}.title`;
      assert.equal(title, I18N.en[key], `${c.name}: heading`);
      const text = await page.evaluate(() => document.body.innerText);
      if (c.id) assert.ok(!text.includes(c.id), `${c.name}: the page shows an internal ID`);
      assert.doesNotMatch(text, /exception|stack|HTTP \d{3}|undefined|null/i, `${c.name}: technical text on the page`);
      assert.equal(await page.locator('#download-button').count(), 0);
      await shot(page, c.shot || c.name, { docs: c.name === 'expired' });
      await page.close();
    }
  });
});

// ------------------------------------------------------------------ 3. challenges and lockout
test('3. password challenge: required, wrong, right', async () => {
  const share = await env.orthanc.createShare(shareBody({ Password: 'Correct-Horse-7' }));
  await env.withContext(PHONE, async (context) => {
    const page = await openLink(context, share.Url);
    await expectSection(page, 'challenge');
    assert.ok(await page.isVisible('#password'));
    assert.ok(!(await page.isVisible('#birthdate')), 'no birth-date field for a password-only share');
    assert.ok(!(await page.isVisible('#challenge-error')));
    await shot(page, 'challenge', { docs: true });

    await page.fill('#password', 'wrong-password');
    await page.click('#challenge-submit');
    await expectSection(page, 'challenge-failed', 'state-challenge');
    assert.ok(await page.isVisible('#challenge-error'));
    assert.equal((await page.textContent('#challenge-error')).trim(), I18N.en['challenge.failed']);
    assert.equal(await page.inputValue('#password'), '', 'the wrong password is cleared');
    await shot(page, 'challenge-failed');

    await page.fill('#password', 'Correct-Horse-7');
    await page.click('#challenge-submit');
    await expectSection(page, 'study');
    await waitViewerImage(page);
    assert.equal((await page.textContent('#patient-name')).trim(), 'DOE JANE');
  });
});

test('3b. birth-date challenge: wrong, then right', async () => {
  const share = await env.orthanc.createShare(shareBody({ RequireBirthDate: true }));
  await env.withContext(PHONE, async (context) => {
    const page = await openLink(context, share.Url);
    await expectSection(page, 'challenge');
    assert.ok(await page.isVisible('#birthdate'));
    assert.ok(!(await page.isVisible('#password')), 'no password field for a birth-date-only share');
    await shot(page, 'challenge-birthdate');

    await page.fill('#birthdate', '1980-02-16');
    await page.click('#challenge-submit');
    await expectSection(page, 'challenge-failed', 'state-challenge');
    assert.ok(await page.isVisible('#challenge-error'));

    await page.fill('#birthdate', '1980-02-15');
    await page.click('#challenge-submit');
    await expectSection(page, 'study');
    await waitViewerImage(page);
  });
});

test('3c. lockout after 3 wrong answers, even for the right one', async () => {
  const share = await env.orthanc.createShare(shareBody({ Password: 'Correct-Horse-7' }));
  await env.withContext(PHONE, async (context) => {
    const page = await openLink(context, share.Url);
    await expectSection(page, 'challenge');
    for (let n = 1; n <= 2; n++) {
      await page.fill('#password', `wrong-${n}`);
      await page.click('#challenge-submit');
      await expectSection(page, 'challenge-failed', 'state-challenge');
    }
    await page.fill('#password', 'wrong-3');
    await page.click('#challenge-submit');
    await expectSection(page, 'locked');
    assert.equal((await page.textContent('#state-locked h1')).trim(), I18N.en['state.locked.title']);
    await shot(page, 'locked');

    // "Try again" with the right password is still refused while locked.
    await page.click('#state-locked .js-retry');
    await expectSection(page, 'challenge');
    await page.fill('#password', 'Correct-Horse-7');
    await page.click('#challenge-submit');
    await expectSection(page, 'locked');
  });
  const audit = await env.orthanc.request('GET', `/studyshare/shares/${share.ID}/audit`, { admin: true });
  assert.equal(audit.status, 200);
  const events = audit.json.map((e) => `${e.Event}:${e.Outcome}`);
  assert.ok(events.includes('lockout:locked'), `audit: ${events.join(', ')}`);
  assert.equal(events.filter((e) => e === 'challenge-failed:challenge-failed').length, 3, `audit: ${events.join(', ')}`);
  assert.ok(!JSON.stringify(audit.json).includes('wrong-'), 'the audit trail never holds an answer');
});

// ------------------------------------------------------------------ 5. use limit
test('5. a MaxUses 2 link opens twice, then shows "limit reached"', async () => {
  const share = await env.orthanc.createShare(shareBody({ MaxUses: 2 }));
  for (let n = 1; n <= 2; n++) {
    await env.withContext(PHONE, async (context) => {
      const page = await openStudy(context, share.Url);
      // Paging through images is not an "open": it does not use up the share.
      await page.keyboard.press('End');
      await page.waitForFunction(() => document.getElementById('viewer-counter').textContent.trim() === '3 / 3');
    });
  }
  await env.withContext(PHONE, async (context) => {
    const page = await openLink(context, share.Url);
    await expectSection(page, 'exhausted');
  });
});

// ------------------------------------------------------------------ 6. download
test('6. download button and archive follow the Download permission', async () => {
  const withDownload = await env.orthanc.createShare(shareBody({ Permissions: ['View', 'Download'] }));
  const viewOnly = await env.orthanc.createShare(shareBody({ Permissions: ['View'] }));

  await env.withContext({ ...DESKTOP, acceptDownloads: true }, async (context) => {
    const page = await openStudy(context, withDownload.Url);
    assert.equal(await page.locator('#download-button').count(), 1);
    assert.ok(await page.isVisible('#download-button'));
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: 30000 }),
      page.click('#download-button'),
    ]);
    assert.match(download.suggestedFilename(), /\.zip$/);
    const file = await download.path();
    const bytes = readFileSync(file);
    assert.ok(bytes.length > 1000, `archive is ${bytes.length} bytes`);
    assert.equal(bytes.subarray(0, 2).toString('latin1'), 'PK', 'the download is a ZIP file');
  });

  await env.withContext(DESKTOP, async (context) => {
    const page = await openStudy(context, viewOnly.Url);
    await page.waitForLoadState('networkidle');
    assert.equal(await page.locator('#download-button').count(), 0, 'no download button without the permission');
  });

  // The archive route itself is denied to a view-only session (and allowed with Download).
  const view = await env.orthanc.open({ Token: viewOnly.Token });
  assert.equal(view.status, 200);
  const bearer = (s) => ({ headers: { Authorization: `Bearer ${s}` } });
  const archive = `/studies/${env.ids.study.A}/archive`;
  assert.equal((await env.orthanc.request('GET', `/studies/${env.ids.study.A}`, bearer(view.json.SessionToken))).status, 200,
    'control: the view-only session reads the study');
  assert.equal((await env.orthanc.request('GET', archive, bearer(view.json.SessionToken))).status, 403);
  assert.equal((await env.orthanc.request('GET', `/studies/${env.ids.study.A}/media`, bearer(view.json.SessionToken))).status, 403);
  const dl = await env.orthanc.open({ Token: withDownload.Token });
  const ok = await env.orthanc.request('GET', archive, bearer(dl.json.SessionToken));
  assert.equal(ok.status, 200, 'control: the Download session gets the archive');
  assert.equal(ok.body.subarray(0, 2).toString('latin1'), 'PK');
});

// ------------------------------------------------------------------ 7. Orthanc Web Viewer
test('7. the Orthanc Web Viewer opens the shared series with the session token', async () => {
  const share = await env.orthanc.createShare(shareBody());
  const series = env.ids.series.A[0];
  await env.withContext(DESKTOP, async (context) => {
    const viewerResponses = [];
    context.on('response', (r) => {
      if (r.url().includes('/web-viewer/')) viewerResponses.push({ url: r.url(), status: r.status() });
    });
    const page = await openStudy(context, share.Url);
    const button = page.locator(`button[data-viewer="webviewer"][data-series-id="${series}"]`);
    assert.equal(await button.count(), 1, 'a Web Viewer button for the series');
    const [viewer] = await Promise.all([context.waitForEvent('page'), button.click()]);
    await viewer.waitForLoadState('domcontentloaded');
    assert.match(viewer.url(), /\/web-viewer\/app\/viewer\.html\?series=/);
    assert.ok(!viewer.url().includes(share.Token), 'the viewer gets the session token, not the share token');

    // Cornerstone draws the image into a canvas: wait for one with non-uniform pixels.
    await waitCanvasImage(viewer);

    const instances = viewerResponses.filter((r) => r.url.includes('/web-viewer/instances/'));
    assert.ok(instances.length > 0 && instances.every((r) => r.status === 200),
      `web viewer instance requests: ${JSON.stringify(instances)}`);
    const denied = viewerResponses.filter((r) => r.status >= 400);
    assert.deepEqual(denied, [], 'no web viewer request was refused');
    await shot(viewer, 'webviewer');
  });

  // That session reaches the shared series, and nothing of another study.
  const session = (await env.orthanc.open({ Token: share.Token })).json.SessionToken;
  const tokenHeader = (t) => ({ headers: { token: t } });
  assert.equal((await env.orthanc.request('GET', `/web-viewer/series/${series}`, tokenHeader(session))).status, 200);
  const other = env.ids.series.B[0];
  assert.equal((await env.orthanc.request('GET', `/web-viewer/series/${other}`, tokenHeader(session))).status, 403);
  assert.equal((await env.orthanc.request('GET', `/web-viewer/series/${other}`, tokenHeader(share.Token))).status, 403);
  assert.equal((await env.orthanc.request('GET', `/web-viewer/series/${other}`)).status, 403, 'and nothing without a token');
});

// ------------------------------------------------------------------ 9. languages
test('9. the page follows the browser language and can be switched', async () => {
  const share = await env.orthanc.createShare(shareBody());
  await env.withContext({ ...PHONE, locale: 'fr-FR' }, async (context) => {
    const page = await openStudy(context, share.Url);
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'fr');
    assert.equal(await page.inputValue('#lang-select'), 'fr');
    assert.equal((await page.textContent('#series-heading')).trim(), I18N.fr['study.series']);
    assert.equal((await page.textContent('.footer')).trim(), I18N.fr.footer);
    assert.equal((await page.textContent('#patient-birthdate')).trim(), '15 février 1980');
    await shot(page, 'study-phone-fr');

    await page.selectOption('#lang-select', 'de');
    await page.waitForFunction(() => document.documentElement.lang === 'de');
    assert.equal((await page.textContent('.footer')).trim(), I18N.de.footer);
    assert.equal((await page.textContent('dt[data-i18n="study.birthDate"]')).trim(), I18N.de['study.birthDate']);
    assert.equal((await page.textContent('#patient-birthdate')).trim(), '15. Februar 1980');
    assert.equal((await page.textContent('#viewer-position')).trim(),
      I18N.de['viewer.position'].replace('{index}', '1').replace('{total}', '3'));
  });
});

// ------------------------------------------------------------------ 4. access codes (last: the limiter is per client address)
test('4. code entry: the right code typed in lower case with spaces opens the study', async () => {
  const share = await env.orthanc.createShare(shareBody({ AccessCode: true }));
  assert.match(share.AccessCode, /^[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5}$/);
  await env.withContext(PHONE, async (context) => {
    const page = await openLink(context, `${env.orthanc.url}/share/`);
    await expectSection(page, 'code');
    await shot(page, 'code-entry', { docs: true });
    const typed = share.AccessCode.toLowerCase().replace(/-/g, ' ');
    await page.locator('#access-code').pressSequentially(typed);
    await page.click('#code-submit');
    await expectSection(page, 'study');
    await waitViewerImage(page);
    assert.equal((await page.textContent('#patient-name')).trim(), 'DOE JANE');
  });
});

// Wrong codes recorded by the server for this client in the current minute.
let wrongCodes = 0;

test('4b. code entry: a wrong well-formed code is refused', async () => {
  await env.withContext(PHONE, async (context) => {
    const page = await openLink(context, `${env.orthanc.url}/share/`);
    await expectSection(page, 'code');
    // A malformed code is refused by the page itself (not sent).
    await page.fill('#access-code', 'ABC');
    await page.click('#code-submit');
    await expectSection(page, 'code-invalid', 'state-code');
    assert.equal((await page.textContent('#code-error')).trim(), I18N.en['code.format']);

    await page.fill('#access-code', 'ZZZZZ-ZZZZZ-ZZZZZ');
    await page.click('#code-submit');
    wrongCodes++;
    await expectSection(page, 'code-invalid', 'state-code');
    await page.waitForFunction((s) => document.getElementById('code-error').textContent.trim() === s, I18N.en['code.invalid']);
    assert.ok(await page.isVisible('#code-error'));
    await shot(page, 'code-invalid');
  });
});

test('4c. code entry: too many wrong codes show "rate-limited", even for a right code', async () => {
  const share = await env.orthanc.createShare(shareBody({ AccessCode: true }));
  await env.withContext(PHONE, async (context) => {
    const page = await openLink(context, `${env.orthanc.url}/share/`);
    await expectSection(page, 'code');
    // CodeAttemptsPerClientPerMinute is 5: five wrong codes are answered, the sixth try is refused.
    const wrong = ['ZZZZZ-ZZZZZ-ZZZZY', 'ZZZZZ-ZZZZZ-ZZZZX', 'ZZZZZ-ZZZZZ-ZZZZW', 'ZZZZZ-ZZZZZ-ZZZZV', 'ZZZZZ-ZZZZZ-ZZZZT'];
    while (wrongCodes < 5) {
      await page.fill('#access-code', wrong[wrongCodes]);
      await page.click('#code-submit');
      wrongCodes++;
      await expectSection(page, 'code-invalid', 'state-code');
    }
    await page.fill('#access-code', 'ZZZZZ-ZZZZZ-ZZZZS');
    await page.click('#code-submit');
    await expectSection(page, 'rate-limited');
    assert.equal((await page.textContent('#state-rate-limited h1')).trim(), I18N.en['state.rateLimited.title']);
    await shot(page, 'rate-limited');

    // While limited, even the right code does not open.
    await page.click('#state-rate-limited .js-retry');
    await expectSection(page, 'code');
    await page.fill('#access-code', share.AccessCode);
    await page.click('#code-submit');
    await expectSection(page, 'rate-limited');
  });
  // A link (token) with its code is not subject to the per-client code limiter (the
  // share's own lockout counts its wrong codes); without the code it asks for it.
  assert.equal((await env.orthanc.open({ Token: share.Token })).json.Error, 'challenge-required');
  const r = await env.orthanc.open({ Token: share.Token, AccessCode: share.AccessCode });
  assert.equal(r.status, 200);
});
