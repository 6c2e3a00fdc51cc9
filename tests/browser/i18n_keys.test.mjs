// SPDX-License-Identifier: GPL-3.0-or-later
// Static checks of the recipient pages (web/share/): run with `node --test tests/browser/`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const SHARE = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'web', 'share');
const LANGS = ['en', 'fr', 'de', 'es'];
const read = (f) => readFileSync(join(SHARE, f), 'utf8');
const dicts = Object.fromEntries(LANGS.map((l) => [l, JSON.parse(read(`i18n/${l}.json`))]));
const html = read('index.html');
// The page's script: app.js and its modules in js/, read as one text.
const js = ['app.js', ...readdirSync(join(SHARE, 'js')).filter((f) => f.endsWith('.js')).sort().map((f) => `js/${f}`)]
  .map(read).join('\n');

test('every language file has exactly the keys of en.json', () => {
  const en = Object.keys(dicts.en).sort();
  for (const l of LANGS) {
    assert.deepEqual(Object.keys(dicts[l]).sort(), en, `keys of ${l}.json`);
  }
});

test('every value is a non-empty string with the same {placeholders} as English', () => {
  const ph = (s) => (s.match(/\{\w+\}/g) || []).sort();
  for (const l of LANGS) {
    for (const [k, v] of Object.entries(dicts[l])) {
      assert.equal(typeof v, 'string', `${l}:${k}`);
      assert.ok(v.trim().length > 0, `${l}:${k} is empty`);
      assert.deepEqual(ph(v), ph(dicts.en[k]), `${l}:${k} placeholders`);
    }
  }
});

test('every key used by index.html and the scripts exists', () => {
  const used = new Set();
  for (const m of html.matchAll(/data-i18n(?:-aria-label)?="([^"]+)"/g)) used.add(m[1]);
  for (const m of js.matchAll(/\b(?:setText\([^,]+,\s*|tt?\()'([a-zA-Z][\w.]*)'(?!\s*\+)/g)) used.add(m[1]);
  for (const m of js.matchAll(/label: '([\w.]+)'/g)) used.add(m[1]);
  for (const m of js.matchAll(/showCodeError\('([\w.]+)'\)|showChallenge\('([\w.]+)'/g)) used.add(m[1] || m[2]);
  for (const p of ['default', 'soft', 'lung', 'bone', 'brain']) used.add(`preset.${p}`);
  const plural = new Set(['series.images']);
  for (const k of used) {
    if (plural.has(k)) {
      assert.ok(`${k}.one` in dicts.en && `${k}.other` in dicts.en, `plural ${k}`);
    } else {
      assert.ok(k in dicts.en, `missing key ${k}`);
    }
  }
  assert.ok(used.size > 40, `found only ${used.size} keys; the scan is broken`);
});

test('CSP-safe markup: no inline script, style or event handler, no external resource', () => {
  assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/i, 'inline <script>');
  assert.doesNotMatch(html, /<style/i, '<style> element');
  assert.doesNotMatch(html, /\sstyle=/i, 'style attribute');
  assert.doesNotMatch(html, /\son[a-z]+=/i, 'inline event handler');
  assert.doesNotMatch(html, /(src|href)="(https?:)?\/\//i, 'external resource');
  assert.doesNotMatch(js, /\beval\(|new Function\(|innerHTML|outerHTML|insertAdjacentHTML|document\.write/, 'unsafe JS');
  assert.doesNotMatch(js, /console\.(log|info|debug|warn|error)/, 'console output');
  // localStorage keeps the language only; the session stays in the tab (sessionStorage).
  assert.doesNotMatch(js, /localStorage\.setItem\((?!LANG_KEY)/, 'localStorage other than the language');
  assert.doesNotMatch(js, /sessionStorage\.setItem\((?!SESSION_KEY)/, 'sessionStorage other than the session');
  assert.doesNotMatch(read('app.css'), /@import|url\(\s*['"]?(https?:)?\/\//i, 'external CSS resource');
});

test('the state sections named in js/states.js exist in index.html', () => {
  const list = /var STATES = \[([^\]]+)\]/.exec(read('js/states.js'));
  assert.ok(list, 'STATES list in js/states.js');
  const states = [...list[1].matchAll(/'([\w-]+)'/g)].map((m) => m[1]);
  assert.ok(states.length >= 12, `found only ${states.length} states`);
  for (const s of states) assert.match(html, new RegExp(`<section id="state-${s}"`), s);
});

test('the share folder stays small (< 150 KB)', () => {
  const size = (p) => statSync(p).isDirectory()
    ? readdirSync(p).reduce((n, f) => n + size(join(p, f)), 0) : statSync(p).size;
  assert.ok(size(SHARE) < 150 * 1024, `${size(SHARE)} bytes`);
});
