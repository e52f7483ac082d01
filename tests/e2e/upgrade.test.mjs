// A tablet updated to the IndexedDB version while it still held changes
// under the localStorage keys of the version before: at its first start the
// app moves them into IndexedDB, removes the old keys, and every pending
// change reaches the server exactly once, including one the server had
// already applied before the answer was lost.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { PROTOCOL, apiLogin, apiPullAll } from './lib/server.mjs';
import { scenario } from './lib/scenario.mjs';
import { TABLET, pendingCount, waitSynced, unlock } from './lib/browser.mjs';

function note(id, citizenId, userId, text) {
  return {
    kind: 'note',
    data: {
      id, note_id: id, replaces: null, citizen_id: citizenId, visit_id: null,
      category: 'observation', text, author_id: userId, author_name: 'Anna Holm',
      written_at: '2026-11-29T09:00:00Z',
    },
  };
}

test('pending changes kept by the previous version reach the server once after the upgrade', { timeout: 180_000 }, async () => {
  const env = await scenario();
  try {
    const base = env.server.base;
    const login = await (await fetch(`${base}/api/v1/session`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'anna', password: 'demo' }),
    })).json();
    const user = login.user.id;
    const inger = (await apiPullAll(base, login.token))
      .find((c) => c.record.kind === 'citizen' && c.record.data.name === 'Inger Nielsen').record.data.id;
    const clientId = crypto.randomUUID();
    const stamp = Date.now();
    const records = [1, 2, 3].map((n) => note(crypto.randomUUID(), inger, user, `før opdateringen ${n} (${stamp})`));

    // Seq 1 reached the server before the update, but its answer was lost.
    const first = await fetch(`${base}/api/v1/sync`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${login.token}` },
      body: JSON.stringify({
        protocol: PROTOCOL, client_id: clientId, cursor: 0, limit: 1,
        mutations: [{ seq: 1, op: 'note.save', data: records[0].data }],
      }),
    });
    assert.equal(first.status, 200, await first.text());

    // The device as the previous version left it: session, bookkeeping and
    // three pending entries under the old keys.
    const tablet = await env.browser.newContext({ viewport: TABLET });
    const page = await tablet.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(base + '/manifest.webmanifest');
    await page.evaluate(({ login, user, clientId, records }) => {
      localStorage.setItem('nv:session', JSON.stringify(login));
      localStorage.setItem(`nv:${user}:meta`, JSON.stringify({
        client_id: clientId, cursor: 0, acknowledged_seq: 0, last_success: null, last_seq: 3,
      }));
      records.forEach((record, i) => {
        const seq = i + 1;
        localStorage.setItem(`nv:${user}:out:${String(seq).padStart(12, '0')}`, JSON.stringify({
          seq, record, state: 'pending', created_at: '2026-11-29T09:00:00Z',
        }));
      });
    }, { login, user, clientId, records });

    await page.goto(base + '/');
    // The old version's login is kept, its data is not sealed yet: the first
    // start of this version asks for the password, online.
    await unlock(page);
    await waitSynced(page);
    assert.equal(await pendingCount(page), 0);
    const oldKeys = await page.evaluate((user) => Object.keys(localStorage).filter((k) => k.startsWith(`nv:${user}:`)), user);
    assert.deepEqual(oldKeys, [], 'the old keys are gone');
    // A reload syncs again: nothing is sent twice.
    await page.reload();
    await unlock(page);
    await waitSynced(page);

    const dorte = await apiLogin(base, 'dorte');
    const onServer = (await apiPullAll(base, dorte))
      .filter((c) => c.record.kind === 'note' && c.record.data.text.endsWith(`(${stamp})`))
      .map((c) => c.record.data.text)
      .sort();
    assert.deepEqual(onServer, records.map((r) => r.data.text).sort(), 'each change exactly once');
    await page.getByRole('link', { name: 'Inger Nielsen' }).first().click();
    await page.locator('article.revision', { hasText: `før opdateringen 3 (${stamp})` }).waitFor();
    assert.deepEqual(errors, []);
  } finally {
    await env.close();
  }
});
