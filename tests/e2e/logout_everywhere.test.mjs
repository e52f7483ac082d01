// A lost or shared tablet: a logout in one window reaches the app's other
// windows at once (they show no citizen and never download again), and an
// ended login (expired on the device, or refused by the server) shows the
// login form and nothing of the citizens.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { scenario } from './lib/scenario.mjs';
import { TABLET, deviceStoreCounts, loginInApp, unlock, waitSynced, writeNote } from './lib/browser.mjs';

const CITIZEN = 'Inger Nielsen';

function syncRequests(page) {
  const seen = [];
  page.on('request', (r) => { if (r.url().endsWith('/api/v1/sync')) seen.push(r.url()); });
  return seen;
}

test('a logout in one window empties the other, and nothing is downloaded again', { timeout: 120_000 }, async () => {
  const env = await scenario();
  try {
    const tablet = await env.browser.newContext({ viewport: TABLET });
    const app = await tablet.newPage();
    const tab = await tablet.newPage();
    const errors = [];
    for (const p of [app, tab]) p.on('pageerror', (e) => errors.push(e.message));
    const tokens = [];
    for (const p of [app, tab]) {
      p.on('response', async (r) => {
        if (r.url().endsWith('/api/v1/session') && r.request().method() === 'POST' && r.ok()) tokens.push((await r.json()).token);
      });
    }
    await loginInApp(app, env.server.base, 'anna');
    await tab.goto(env.server.base + '/');
    await unlock(tab);
    await waitSynced(tab);
    await tab.getByRole('link', { name: CITIZEN }).first().click();
    await tab.getByRole('link', { name: 'Skriv notat' }).waitFor();
    const records = (counts) => Object.entries(counts)
      .filter(([k]) => k.endsWith('/records')).reduce((n, [, v]) => n + v, 0);
    assert.ok(records(await deviceStoreCounts(app)) > 0, 'the team is on the device');

    const tabSyncs = syncRequests(tab);
    const started = Date.now();
    await app.getByRole('button', { name: 'Log ud' }).click();
    await app.locator('input[name=username]').waitFor();
    // The other window lets go at once: the login form, no citizen.
    await tab.locator('input[name=username]').waitFor({ timeout: 3_000 });
    console.log(`the other window showed the login ${Date.now() - started} ms after "Log ud"`);
    assert.equal(await tab.getByText(CITIZEN).count(), 0, 'no citizen left on the other window');
    // Its triggers find no login: going online again does not sync.
    await tab.evaluate(() => window.dispatchEvent(new Event('online')));
    await app.evaluate(() => window.dispatchEvent(new Event('online')));
    await tab.waitForTimeout(1_500);
    assert.deepEqual(tabSyncs, [], 'the other window sent nothing after the logout');
    // The store is emptied once the other window's sync (if any) let go of the lock.
    let after = await deviceStoreCounts(app);
    for (let i = 0; i < 20 && records(after) > 0; i++) {
      await app.waitForTimeout(500);
      after = await deviceStoreCounts(app);
    }
    assert.equal(records(after), 0, `the device holds no records: ${JSON.stringify(after)}`);
    assert.equal(await tab.evaluate(() => localStorage.getItem('nv:session')), null);
    // The server ended the token in use too (the second window's login
    // gave both windows a new one): a copy of it is refused.
    assert.equal(tokens.length, 2);
    const refused = await fetch(`${env.server.base}/api/v1/sync`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[1]}` },
      body: JSON.stringify({ client_id: crypto.randomUUID(), protocol: 2 }),
    });
    assert.equal(refused.status, 401, 'the token still works after the logout');
    assert.deepEqual(errors, []);
  } finally {
    await env.close();
  }
});

test('every start is locked: no citizen before the password, a wrong one refused offline; a 401 hides the citizens', { timeout: 120_000 }, async () => {
  const env = await scenario();
  try {
    const tablet = await env.browser.newContext({ viewport: TABLET });
    const page = await tablet.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await loginInApp(page, env.server.base, 'anna');
    await page.getByRole('link', { name: CITIZEN }).first().waitFor();
    await page.evaluate(() => navigator.serviceWorker.ready);

    // A new start, offline: the login form with the name, and no citizen.
    await env.goOffline(tablet);
    await page.reload();
    await page.locator('input[name=password]').waitFor();
    assert.equal(await page.locator('input[name=username]').inputValue(), 'anna', 'the name is filled in');
    await page.waitForTimeout(1_000);
    assert.equal(await page.getByText(CITIZEN).count(), 0, 'no citizen before the password');
    await page.locator('input[name=password]').fill('forkert');
    await page.getByRole('button', { name: 'Log ind' }).click();
    await page.getByText('Forkert adgangskode. 9 forsøg tilbage uden net.').waitFor();
    assert.equal(await page.getByText(CITIZEN).count(), 0, 'no citizen after a wrong password');
    await unlock(page);
    await page.getByRole('link', { name: CITIZEN }).first().waitFor();

    // Online again, the server refuses the token: the citizens leave the screen.
    await env.goOnline(tablet);
    await page.route('**/api/v1/sync', (route) => route.fulfill({
      status: 401, contentType: 'application/json',
      body: JSON.stringify({ error: { code: 'unauthorized', message: 'log in again' } }),
    }));
    await page.evaluate(() => window.dispatchEvent(new Event('online')));
    await page.locator('input[name=password]').waitFor({ timeout: 10_000 });
    assert.equal(await page.getByText(CITIZEN).count(), 0, 'no citizen while the server refuses the login');
    await page.unroute('**/api/v1/sync');
    await unlock(page);
    await waitSynced(page);
    await page.getByRole('link', { name: CITIZEN }).first().waitFor();
    assert.deepEqual(errors, []);
  } finally {
    await env.close();
  }
});

test('nothing of a citizen, and no token, is readable in the device\'s storage', { timeout: 120_000 }, async () => {
  const env = await scenario();
  try {
    const tablet = await env.browser.newContext({ viewport: TABLET });
    const page = await tablet.newPage();
    const tokens = [];
    page.on('response', async (r) => {
      if (r.url().endsWith('/api/v1/session') && r.ok()) tokens.push((await r.json()).token);
    });
    await loginInApp(page, env.server.base, 'anna');
    await page.getByRole('link', { name: CITIZEN }).first().click();
    const citizenId = await page.evaluate(() => location.pathname.split('/').pop());
    const text = `Hemmelig tekst om Inger (${Date.now()})`;
    await writeNote(page, text);
    await page.evaluate(() => navigator.serviceWorker.ready);
    const dump = await page.evaluate(async () => {
      const parts = [];
      const show = (v) => {
        if (v instanceof Uint8Array || v instanceof ArrayBuffer) return new TextDecoder().decode(v);
        return typeof v === 'string' ? v : JSON.stringify(v);
      };
      for (const { name } of await indexedDB.databases()) {
        const db = await new Promise((resolve, reject) => {
          const r = indexedDB.open(name);
          r.onsuccess = () => resolve(r.result);
          r.onerror = () => reject(r.error);
        });
        for (const store of db.objectStoreNames) {
          const all = (method) => new Promise((resolve) => {
            const r = db.transaction(store).objectStore(store)[method]();
            r.onsuccess = () => resolve(r.result);
          });
          for (const k of await all('getAllKeys')) parts.push(show(k));
          for (const v of await all('getAll')) parts.push(show(v));
        }
        db.close();
      }
      for (const s of [localStorage, sessionStorage]) {
        for (let i = 0; i < s.length; i++) parts.push(s.key(i), s.getItem(s.key(i)));
      }
      for (const name of await caches.keys()) {
        const cache = await caches.open(name);
        for (const request of await cache.keys()) {
          parts.push(request.url, await (await cache.match(request)).text());
        }
      }
      return parts.join('\n');
    });
    assert.equal(tokens.length, 1, 'one login');
    // The token would let whoever reads the storage ask the server for the citizens.
    for (const secret of [CITIZEN, 'Inger', text, citizenId, tokens[0]]) {
      assert.ok(!dump.includes(secret), `${JSON.stringify(secret)} is readable in the device's storage`);
    }
    console.log(`searched ${dump.length} characters of IndexedDB, localStorage, sessionStorage and Cache Storage`);
  } finally {
    await env.close();
  }
});
