// SPDX-License-Identifier: GPL-3.0-or-later
// Test helper for the browser tests: starts a real Orthanc (Debian's /usr/sbin/Orthanc)
// with the StudyShare, DICOMweb and Web Viewer plugins on a free loopback port, uploads
// the fixture studies, offers small staff/recipient API helpers, and launches Debian's
// headless Chromium through playwright-core. Everything started here is stopped by
// `stop()` (SIGTERM, then SIGKILL), and, as a last resort, when the node process exits.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, rmSync, openSync, closeSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromium } from 'playwright-core';

const HERE = dirname(fileURLToPath(import.meta.url));
export const REPO = resolve(HERE, '..', '..');
// STUDYSHARE_ORTHANC selects the server, as for the integration tests (default: Debian's 1.10.1).
export const ORTHANC_BINARY = process.env.STUDYSHARE_ORTHANC || process.env.ORTHANC_BINARY || '/usr/sbin/Orthanc';
// The newer Orthanc of the test matrix and Orthanc Explorer 2, built beside the checkout.
export const THIRD_PARTY = resolve(REPO, '..', 'shared', 'third_party');
export const NEWER_ORTHANC = join(THIRD_PARTY, 'orthanc-1.12.3', 'Orthanc');
export const OE2_PLUGIN = join(THIRD_PARTY, 'orthanc-explorer-2', 'libOrthancExplorer2-1.14.1.so');
export const AUTHORIZATION_PLUGIN = join(THIRD_PARTY, 'orthanc-authorization', 'libOrthancAuthorization-0.11.4.so');
export const PLUGINS_DIR = '/usr/share/orthanc/plugins';
export const STUDYSHARE_PLUGIN = process.env.STUDYSHARE_PLUGIN
  || join(REPO, 'build', 'src', 'plugin', 'libStudyShare.so');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const ADMIN = { user: 'admin', password: 'admin-pw' };
export const SECRET = 'browser-tests-secret-0123456789-abcdefghijklmnop';

const STARTUP_TIMEOUT_MS = 30000;
const STOP_TIMEOUT_MS = 10000;

// Processes still alive: killed synchronously if node exits without running the hooks.
const live = new Set();
process.on('exit', () => {
  for (const child of live) {
    try { child.kill('SIGKILL'); } catch { /* already gone */ }
  }
});

/** A TCP port on 127.0.0.1 that is free right now (bind port 0, read it back, close). */
export function freePort() {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolvePort(port));
    });
  });
}

const basic = (u, p) => 'Basic ' + Buffer.from(`${u}:${p}`).toString('base64');
export const ADMIN_AUTH = basic(ADMIN.user, ADMIN.password);

/** Sends SIGTERM, waits up to `ms`, then SIGKILL; resolves once the child has exited. */
export async function stopChild(child, ms = STOP_TIMEOUT_MS) {
  if (!child || child.exitCode !== null || child.signalCode !== null) { live.delete(child); return; }
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = sleep(ms).then(() => 'timeout');
  if (await Promise.race([exited, timer]) === 'timeout') {
    child.kill('SIGKILL');
    await exited;
  }
  live.delete(child);
}

/** Generates the fixture studies with tests/fixtures/make_studies.sh; returns {dir, manifest, files}. */
export function makeFixtures(outDir) {
  execFileSync('bash', [join(REPO, 'tests', 'fixtures', 'make_studies.sh'), outDir], { stdio: ['ignore', 'ignore', 'inherit'] });
  const manifest = JSON.parse(readFileSync(join(outDir, 'manifest.json'), 'utf8'));
  const files = manifest.Studies.flatMap((s) => s.Files.map((f) => join(outDir, f)));
  return { dir: outDir, manifest, files };
}

export class Orthanc {
  constructor({ studyShare = {}, plugins, binary = ORTHANC_BINARY, config = {} } = {}) {
    this.tmp = mkdtempSync(join(tmpdir(), 'studyshare-browser-'));
    this.studyShareExtra = studyShare;
    this.binary = binary;
    this.extraConfig = config;
    this.plugins = plugins || [
      join(PLUGINS_DIR, 'libOrthancDicomWeb.so'),
      join(PLUGINS_DIR, 'libOrthancWebViewer.so'),
      STUDYSHARE_PLUGIN,
    ];
    this.child = null;
    this.logPath = join(this.tmp, 'orthanc.log');
  }

  async start() {
    for (const p of this.plugins) {
      // Orthanc only logs a missing plugin and goes on: fail clearly instead.
      if (!existsSync(p)) throw new Error(`plugin not found: ${p}`);
    }
    this.port = await freePort();
    this.url = `http://127.0.0.1:${this.port}`;
    const storage = join(this.tmp, 'storage');
    const index = join(this.tmp, 'index');
    mkdirSync(storage, { recursive: true });
    mkdirSync(index, { recursive: true });
    const config = {
      Name: 'StudyShareBrowserTests',
      HttpPort: this.port,
      DicomServerEnabled: false,
      RemoteAccessAllowed: false,
      AuthenticationEnabled: false,
      StableAge: 1,
      HttpTimeout: 60,
      StorageDirectory: storage,
      IndexDirectory: index,
      RegisteredUsers: { [ADMIN.user]: ADMIN.password },
      Plugins: this.plugins,
      DicomWeb: { Enable: true, Root: '/dicom-web/' },
      StudyShare: {
        Secret: SECRET,
        PublicUrl: this.url,
        MaxFailedAttempts: 3,
        CodeAttemptsPerClientPerMinute: 5,
        ...this.studyShareExtra,
      },
      ...this.extraConfig,
    };
    this.configPath = join(this.tmp, 'orthanc.json');
    writeFileSync(this.configPath, JSON.stringify(config, null, 2));
    const log = openSync(this.logPath, 'a');
    try {
      this.child = spawn(this.binary, ['--verbose', this.configPath], {
        cwd: this.tmp, stdio: ['ignore', log, log],
      });
    } finally {
      closeSync(log);
    }
    live.add(this.child);
    this.child.on('exit', () => live.delete(this.child));
    await this.waitReady();
    return this;
  }

  logTail(n = 40) {
    try { return readFileSync(this.logPath, 'utf8').split('\n').slice(-n).join('\n'); } catch { return ''; }
  }

  async waitReady() {
    const deadline = Date.now() + STARTUP_TIMEOUT_MS;
    let delay = 20;
    let last = '';
    for (;;) {
      if (this.child.exitCode !== null || this.child.signalCode !== null) {
        throw new Error(`Orthanc exited during startup (${this.child.exitCode ?? this.child.signalCode})\n${this.logTail()}`);
      }
      try {
        const r = await fetch(this.url + '/system', { headers: { Authorization: ADMIN_AUTH }, signal: AbortSignal.timeout(2000) });
        if (r.status === 200) return;
        last = `HTTP ${r.status}`;
      } catch (e) {
        last = String(e.cause?.code || e.message);
      }
      if (Date.now() > deadline) throw new Error(`Orthanc not ready after ${STARTUP_TIMEOUT_MS} ms (${last})\n${this.logTail()}`);
      await sleep(delay);
      delay = Math.min(delay * 2, 250);
    }
  }

  async stop() {
    await stopChild(this.child);
  }

  cleanup() {
    rmSync(this.tmp, { recursive: true, force: true });
  }

  // ------------------------------------------------------------------ HTTP helpers
  async request(method, path, { headers = {}, body, admin = false } = {}) {
    const h = { ...headers };
    if (admin) h.Authorization = ADMIN_AUTH;
    let payload = body;
    if (body !== undefined && !(body instanceof Uint8Array) && typeof body !== 'string') {
      payload = JSON.stringify(body);
      h['Content-Type'] = 'application/json';
    }
    const r = await fetch(this.url + path, { method, headers: h, body: payload });
    const buf = Buffer.from(await r.arrayBuffer());
    let json = null;
    try { json = JSON.parse(buf.toString('utf8')); } catch { json = null; }
    return { status: r.status, headers: r.headers, json, body: buf };
  }

  /** Uploads DICOM files; returns the list of Orthanc answers ({ID, ParentSeries, ParentStudy, ...}). */
  async upload(files) {
    const out = [];
    for (const f of files) {
      const r = await this.request('POST', '/instances', { admin: true, body: readFileSync(f), headers: { 'Content-Type': 'application/dicom' } });
      if (r.status !== 200) throw new Error(`upload ${f}: HTTP ${r.status} ${r.body.toString()}`);
      out.push(r.json);
    }
    return out;
  }

  /** POST /studyshare/shares → the 201 answer ({ID, Token, Url, AccessCode, ...}). */
  async createShare(body) {
    const r = await this.request('POST', '/studyshare/shares', { admin: true, body });
    if (r.status !== 201) throw new Error(`create share: HTTP ${r.status} ${r.body.toString()}`);
    return r.json;
  }

  async revokeShare(id) {
    const r = await this.request('DELETE', `/studyshare/shares/${encodeURIComponent(id)}`, { admin: true });
    if (r.status < 200 || r.status >= 300) throw new Error(`revoke share: HTTP ${r.status} ${r.body.toString()}`);
    return r;
  }

  /** POST /share/api/open as a recipient would (no staff credentials). */
  open(body) {
    return this.request('POST', '/share/api/open', { body });
  }
}

// ------------------------------------------------------------------ browser
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run'];

export function launchBrowser() {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

/** Closes the browser; if that hangs, kills its process. */
export async function closeBrowser(browser) {
  if (!browser) return;
  const closed = browser.close().then(() => 'closed', () => 'error');
  if (await Promise.race([closed, sleep(STOP_TIMEOUT_MS).then(() => 'timeout')]) !== 'closed') {
    const proc = browser.process?.();
    if (proc) await stopChild(proc, 2000);
  }
}
