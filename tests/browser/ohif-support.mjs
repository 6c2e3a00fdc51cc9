// SPDX-License-Identifier: GPL-3.0-or-later
// Helpers for the OHIF browser tests: a Chromium with WebGL (SwiftShader), a recorder
// of every request a browser context makes, and checks that OHIF's viewport really
// shows an image (its pixels are not all one colour).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromium } from 'playwright-core';
import { REPO, CHROMIUM } from './orthanc.mjs';

export const OHIF_VERSION = '3.12.10';
export const OHIF_DIR = process.env.STUDYSHARE_OHIF_DIR || join(REPO, 'third_party', `ohif-${OHIF_VERSION}`, 'dist');
export const PYDICOM_FILES = '/usr/lib/python3/dist-packages/pydicom/data/test_files';

// WebGL through SwiftShader: OHIF (cornerstone3D) draws with WebGL, and
// --disable-gpu would leave its viewport black.
export const WEBGL_CHROMIUM_ARGS = ['--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader',
  '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'];

export function ohifInstalled() {
  return existsSync(join(OHIF_DIR, 'index.html'));
}

export function launchWebglBrowser() {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: WEBGL_CHROMIUM_ARGS });
}

/**
 * Records every request of a browser context (pages opened later included, and their
 * workers): URL, method, Authorization header, and the HTTP status once answered.
 */
export function recordRequests(context) {
  let log = [];
  let byRequest = new Map();
  context.on('request', (req) => {
    const entry = { url: req.url(), method: req.method(), authorization: req.headers().authorization ?? null, status: null };
    byRequest.set(req, entry);
    log.push(entry);
  });
  context.on('response', (res) => {
    const entry = byRequest.get(res.request());
    if (entry) entry.status = res.status();
  });
  context.on('requestfailed', (req) => {
    const entry = byRequest.get(req);
    if (entry) entry.status = `failed: ${req.failure()?.errorText}`;
  });
  return {
    reset: () => { log = []; byRequest = new Map(); },
    all: () => log.slice(),
    dicomWeb: () => log.filter((e) => new URL(e.url).pathname.startsWith('/dicom-web/')),
    /** Requests that went anywhere but `origin` (data: and blob: URLs never leave the browser). */
    offOrigin: (origin) => log.filter((e) => !e.url.startsWith(origin + '/') && !/^(data|blob):/.test(e.url)),
  };
}

/**
 * Statistics of what OHIF's viewport canvases show right now: number of distinct
 * colours (quantized to 5 bits a channel) and standard deviation of the luminance,
 * for the canvas that varies most. `null` when there is no viewport canvas yet.
 */
export function viewportStats(page) {
  return page.evaluate(() => {
    let best = null;
    for (const canvas of document.querySelectorAll('.viewport-element canvas, canvas.cornerstone-canvas')) {
      if (!canvas.width || !canvas.height) continue;
      const ctx = canvas.getContext('2d', { willReadFrequently: true });
      if (!ctx) continue;
      const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
      const colours = new Set();
      let sum = 0;
      let sum2 = 0;
      const n = data.length / 4;
      for (let i = 0; i < data.length; i += 4) {
        colours.add(((data[i] >> 3) << 10) | ((data[i + 1] >> 3) << 5) | (data[i + 2] >> 3));
        const y = 0.299 * data[i] + 0.587 * data[i + 1] + 0.114 * data[i + 2];
        sum += y;
        sum2 += y * y;
      }
      const mean = sum / n;
      const stats = { width: canvas.width, height: canvas.height, colours: colours.size, stddev: Math.sqrt(Math.max(0, sum2 / n - mean * mean)) };
      if (!best || stats.stddev > best.stddev) best = stats;
    }
    return best;
  });
}

export const isDrawn = (s) => !!s && s.colours >= 8 && s.stddev >= 5;

/** Polls the viewport until an image is drawn; returns {ms, stats} (ms since `t0`). */
export async function waitForImage(page, t0, timeout = 45000) {
  let stats = null;
  while (Date.now() - t0 < timeout) {
    stats = await viewportStats(page).catch(() => null);
    if (isDrawn(stats)) return { ms: Date.now() - t0, stats };
    await sleep(100);
  }
  throw new Error(`no image drawn in OHIF's viewport after ${timeout} ms (last canvas stats: ${JSON.stringify(stats)})`);
}

/**
 * The same check on what is on screen: a screenshot of the viewport element, decoded
 * by the browser itself, must not be all one colour.
 */
export async function screenshotStats(page, selector = '.viewport-element') {
  const png = await page.locator(selector).first().screenshot();
  return page.evaluate(async (b64) => {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const ctx = canvas.getContext('2d');
    ctx.drawImage(bitmap, 0, 0);
    const { data } = ctx.getImageData(0, 0, bitmap.width, bitmap.height);
    const colours = new Set();
    let sum = 0;
    let sum2 = 0;
    for (let i = 0; i < data.length; i += 4) {
      colours.add(((data[i] >> 3) << 10) | ((data[i + 1] >> 3) << 5) | (data[i + 2] >> 3));
      const y = 0.299 * data[i] + 0.587 * data[i + 1] + 0.114 * data[i + 2];
      sum += y;
      sum2 += y * y;
    }
    const n = data.length / 4;
    const mean = sum / n;
    return { width: bitmap.width, height: bitmap.height, colours: colours.size, stddev: Math.sqrt(Math.max(0, sum2 / n - mean * mean)) };
  }, png.toString('base64'));
}

/** Texts of OHIF's notifications, dialogs and error panels currently on screen. */
export function visibleMessages(page) {
  return page.evaluate(() => {
    const sel = '[data-sonner-toast], [role="alert"], [role="alertdialog"], [role="dialog"], [role="status"]';
    const out = [...document.querySelectorAll(sel)].map((e) => e.innerText.trim()).filter(Boolean);
    const body = document.body.innerText;
    for (const phrase of ['not available', 'Error', 'error', 'No studies', 'failed']) {
      if (body.includes(phrase)) out.push(`page text contains "${phrase}"`);
    }
    return out;
  });
}
