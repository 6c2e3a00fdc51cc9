// SPDX-License-Identifier: GPL-3.0-or-later
// Static checks of the staff pages' translations (web/staff/i18n/), which the
// sign-in page, the shares page and the Share dialog in Orthanc Explorer read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const WEB = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'web');
const LANGS = ['en', 'fr', 'de', 'es'];
const dicts = Object.fromEntries(LANGS.map((l) => [l, JSON.parse(readFileSync(join(WEB, 'staff', 'i18n', `${l}.json`), 'utf8'))]));
const read = (dir) => readdirSync(join(WEB, dir)).filter((f) => /\.(js|html)$/.test(f)).map((f) => readFileSync(join(WEB, dir, f), 'utf8')).join('\n');
const staff = read('staff');
const dialog = read(join('explorer', 'share-button'));

test('every staff language file has exactly the keys of en.json', () => {
  const en = Object.keys(dicts.en).sort();
  for (const l of LANGS) assert.deepEqual(Object.keys(dicts[l]).sort(), en, `keys of ${l}.json`);
});

test('every staff text is a non-empty string with the same {placeholders} as English', () => {
  const ph = (s) => (s.match(/\{\w+\}/g) || []).sort();
  for (const l of LANGS) {
    for (const [k, v] of Object.entries(dicts[l])) {
      assert.equal(typeof v, 'string', `${l}:${k}`);
      assert.ok(v.trim().length > 0, `${l}:${k} is empty`);
      assert.deepEqual(ph(v), ph(dicts.en[k]), `${l}:${k} placeholders`);
    }
  }
});

test('every key the staff pages and the Share dialog use exists', () => {
  const used = new Set();
  for (const m of staff.matchAll(/data-i18n(?:-[a-z-]+)?="([^"]+)"/g)) used.add(m[1]);
  for (const m of (staff + dialog).matchAll(/\b[tT]\('([a-z][\w.-]*[\w])'(?!\s*\+)/g)) used.add(m[1]);
  for (const m of staff.matchAll(/cell\(row, '[\w-]+', '([\w.]+)'\)/g)) used.add(m[1]);
  for (const s of ['active', 'locked', 'expired', 'revoked', 'exhausted']) used.add(`state.${s}`);
  for (const e of ['create', 'revoke', 'open', 'download', 'email', 'email-access-code', 'unlock', 'access-code',
    'challenge-failed', 'lockout']) used.add(`event.${e}`);
  for (const k of ['dialog.days.one', 'dialog.days.other', 'list.count.one', 'list.count.other']) used.add(k);
  for (const k of used) assert.ok(k in dicts.en, `missing key ${k}`);
  assert.ok(used.size > 120, `found only ${used.size} keys; the scan is broken`);
});

test('the dialog has no English left outside the dictionaries', () => {
  // Visible words go through T(); a quoted sentence in the dialog's code is a text someone forgot.
  const code = dialog.replace(/\/\/.*$/gm, '').replace(/\/\*[\s\S]*?\*\//g, '').replace(/BUILT_IN_WORDS = \{[^}]*\}/, '');
  const sentences = [...code.matchAll(/text: '([A-Z][a-z]+ [^']*)'/g)].map((m) => m[1]);
  assert.deepEqual(sentences, []);
});
