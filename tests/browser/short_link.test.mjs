// SPDX-License-Identifier: GPL-3.0-or-later
// Browser test of issue 18, point 1: a short link ({PublicUrl}/s/#<key>) opened on a phone
// shows the study, the key leaves the address bar at once, and a reload resumes the tab's
// session; a wrong key says the link is not valid.
//
//   cd tests/browser && node --test --test-concurrency=1 short_link.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useSuite, waitState, shot, PHONE } from './suite.mjs';

const env = useSuite({ upload: ['A'], context: PHONE });

async function uses(id) {
  const r = await env.orthanc.request('GET', `/studyshare/shares/${id}`, { admin: true });
  assert.equal(r.status, 200);
  return r.json.Uses;
}

test('a short link opens the study on a phone, and its key leaves the address bar', async () => {
  const share = await env.orthanc.createShare({ Resources: [{ Level: 'Study', OrthancId: env.ids.study.A }],
    ValidityDuration: 7 * 24 * 3600, Permissions: ['View'] });
  assert.match(share.ShortUrl, /\/s\/#[A-Za-z0-9_-]{22}$/);
  await env.withContext({}, async (context) => {
    const page = await context.newPage();
    const sent = [];
    page.on('request', (req) => { if (req.url().endsWith('/share/api/open')) sent.push(req.postDataJSON()); });
    await page.goto(share.ShortUrl);
    await waitState(page, 'study');
    assert.deepEqual(Object.keys(sent[0]), ['Key'], 'the page opened with the key, not a token');
    assert.ok(!page.url().includes('#'), `the key is gone from the address bar: ${page.url()}`);
    assert.ok(page.url().endsWith('/s/'), page.url());
    assert.ok((await page.textContent('#patient-name')).trim().length > 0);
    await page.waitForFunction(() => [...document.querySelectorAll('img.thumb-img')].every((i) => i.complete && i.naturalWidth > 0));
    await shot(page, 'short-link-phone', { docs: true });
    assert.equal(await uses(share.ID), 1);
    // A reload presents the tab's session: the study again, no use spent.
    await page.reload();
    await waitState(page, 'study');
    assert.equal(await uses(share.ID), 1);
  });
});

test('a short link whose key is wrong says the link is not valid', async () => {
  await env.withContext({}, async (context) => {
    const page = await context.newPage();
    await page.goto(env.orthanc.url + '/s/#' + 'A'.repeat(22));
    await waitState(page, 'invalid');
  });
});
