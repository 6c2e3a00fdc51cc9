// SPDX-License-Identifier: GPL-3.0-or-later
// What every page test sets up the same way: the DICOM fixtures, its Orthanc
// servers and one Chromium, started together in before() and all stopped in
// after() whatever failed; browser contexts that are always closed; the
// recipient page's state machine; screenshots, copied into docs/ on request.
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, copyFileSync, statSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Orthanc, makeFixtures, launchBrowser, closeBrowser, REPO } from './orthanc.mjs';

export const SHOTS = join(REPO, 'test-artifacts', 'screenshots');
export const DOCS_SHOTS = join(REPO, 'docs', 'screenshots');
export const DESKTOP = { viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 };
export const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, isMobile: true, hasTouch: true };
const DOCS_SHOT_LIMIT = 150 * 1024;

// Registers the suite's before() and after() hooks and returns what they
// fill in. A file registers no hooks of its own: node:test does not finish
// one top-level before() before the next starts, so the file's own steps go
// here. `setUp` runs first; `servers` gives each Orthanc's options, or a
// function returning them (called after setUp, so a port it started can be
// named). `upload` names the fixture studies put into every server ('all' or
// a list of keys); `ids` holds their Orthanc IDs as the first server numbered
// them; `ready(env)` runs once they are in. `tearDown` runs last in after().
// `env.withContext(options, fn)` opens contexts with `context` as defaults.
export function useSuite({ servers = [{}], upload = 'all', context = {}, setUp, ready, tearDown } = {}) {
  const env = { browser: null, orthanc: null, servers: [], fixtures: null, fixturesDir: null,
    ids: { study: {}, patient: {}, series: {} },
    withContext: (options, fn) => withContext(env.browser, { ...context, ...options }, fn) };
  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    mkdirSync(DOCS_SHOTS, { recursive: true });
    env.fixturesDir = mkdtempSync(join(tmpdir(), 'studyshare-fixtures-'));
    env.fixtures = makeFixtures(env.fixturesDir);
    if (setUp) await setUp();
    env.servers = servers.map((options) => new Orthanc(typeof options === 'function' ? options() : options));
    [env.orthanc] = env.servers;
    const started = await Promise.allSettled([launchBrowser(), ...env.servers.map((o) => o.start())]);
    if (started[0].status === 'fulfilled') env.browser = started[0].value;
    for (const s of started) if (s.status === 'rejected') throw s.reason;
    const studies = env.fixtures.manifest.Studies.filter((s) => upload === 'all' || upload.includes(s.Key));
    for (const study of studies) {
      const files = study.Files.map((f) => join(env.fixturesDir, f));
      const [answers] = await Promise.all(env.servers.map((o) => o.upload(files)));
      env.ids.study[study.Key] = answers[0].ParentStudy;
      env.ids.patient[study.Key] = answers[0].ParentPatient;
      env.ids.series[study.Key] = [...new Set(answers.map((a) => a.ParentSeries))];
    }
    if (ready) await ready(env);
  });
  after(async () => {
    // Each step on its own, so that one failure does not keep the others from running.
    await closeBrowser(env.browser).catch(() => {});
    for (const o of env.servers) {
      await o.stop().catch(() => {});
      if (!process.env.KEEP_ORTHANC) o.cleanup();
    }
    if (env.fixturesDir) rmSync(env.fixturesDir, { recursive: true, force: true });
    if (tearDown) await tearDown();
  });
  return env;
}

// Runs fn with a fresh context (English, UTC unless options say otherwise), closed afterwards.
export async function withContext(browser, options, fn) {
  const context = await browser.newContext({ locale: 'en-US', timezoneId: 'UTC', ...options });
  try {
    return await fn(context);
  } finally {
    await context.close().catch(() => {});
  }
}

export function stateOf(page) {
  return page.evaluate(() => document.body.getAttribute('data-state'));
}

// Waits for the recipient page's data-state; on a timeout, says which state it is in instead.
export async function waitState(page, state, timeout = 15000) {
  try {
    await page.waitForFunction((s) => document.body.getAttribute('data-state') === s, state, { timeout, polling: 50 });
  } catch (e) {
    const actual = await stateOf(page).catch(() => '?');
    throw new Error(`expected state "${state}", page is in state "${actual}"`);
  }
}

// A screenshot of a page or element into test-artifacts/, and into docs/screenshots/ with
// `docs` (kept small: the README shows them).
export async function shot(target, name, { fullPage = false, docs = false } = {}) {
  const file = join(SHOTS, `${name}.png`);
  await target.screenshot({ path: file, ...(fullPage ? { fullPage } : {}), animations: 'disabled', caret: 'hide' });
  if (docs) {
    const dest = join(DOCS_SHOTS, `${name}.png`);
    copyFileSync(file, dest);
    const size = statSync(dest).size;
    assert.ok(size < DOCS_SHOT_LIMIT, `docs screenshot ${name}.png is ${size} bytes (limit 150 KB)`);
  }
  return file;
}

// Waits until a viewer has drawn an image into a canvas: one with non-uniform pixels
// (Cornerstone's canvases are blank, then black, before the image arrives).
export async function waitCanvasImage(page, timeout = 30000) {
  await page.waitForFunction(() => [...document.querySelectorAll('canvas')].some((c) => {
    if (c.width < 16 || c.height < 16) return false;
    const o = document.createElement('canvas');
    o.width = c.width; o.height = c.height;
    const ctx = o.getContext('2d');
    ctx.drawImage(c, 0, 0);
    const d = ctx.getImageData(0, 0, o.width, o.height).data;
    let min = 255, max = 0;
    for (let i = 0; i < d.length; i += 16) { min = Math.min(min, d[i]); max = Math.max(max, d[i]); }
    return max - min > 30;
  }), null, { timeout, polling: 250 });
}
