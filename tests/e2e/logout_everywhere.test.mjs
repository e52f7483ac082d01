// A lost or shared tablet: a logout in one window reaches the app's other
// windows at once (they show no citizen and never download again), and an
// ended login (expired on the device, or refused by the server) shows the
// login form and nothing of the citizens.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { scenario } from './lib/scenario.mjs';
import { TABLET, deviceStoreCounts, loginInApp, waitSynced } from './lib/browser.mjs';

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
    await loginInApp(app, env.server.base, 'anna');
    await tab.goto(env.server.base + '/');
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
    await app.waitForFunction(async () => true);
    const after = await deviceStoreCounts(app);
    assert.equal(records(after), 0, `the device holds no records: ${JSON.stringify(after)}`);
    assert.equal(await tab.evaluate(() => localStorage.getItem('nv:session')), null);
    assert.deepEqual(errors, []);
  } finally {
    await env.close();
  }
});

test('an ended login shows the login form and no citizen, and the same user opens again', { timeout: 120_000 }, async () => {
  const env = await scenario();
  try {
    const tablet = await env.browser.newContext({ viewport: TABLET });
    const page = await tablet.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await loginInApp(page, env.server.base, 'anna');
    await page.getByRole('link', { name: CITIZEN }).first().waitFor();

    // Expired by the device's own reckoning (offline too): nothing shown at start.
    await page.evaluate(() => {
      const s = JSON.parse(localStorage.getItem('nv:session'));
      s.until = '2020-01-01T00:00:00Z';
      localStorage.setItem('nv:session', JSON.stringify(s));
    });
    await env.goOffline(tablet);
    await page.reload();
    await page.locator('input[name=username]').waitFor();
    assert.equal(await page.locator('input[name=username]').inputValue(), 'anna', 'the name is filled in');
    await page.waitForTimeout(1_000);
    assert.equal(await page.getByText(CITIZEN).count(), 0, 'no citizen before a new login');
    await env.goOnline(tablet);

    // The server refuses the token (401): the citizens leave the screen.
    await page.locator('input[name=password]').fill('demo');
    await page.getByRole('button', { name: 'Log ind' }).click();
    await waitSynced(page);
    await page.getByRole('link', { name: CITIZEN }).first().waitFor();
    await page.evaluate(() => {
      const s = JSON.parse(localStorage.getItem('nv:session'));
      s.server.token = 'not-a-token';
      localStorage.setItem('nv:session', JSON.stringify(s));
    });
    await page.reload();
    await page.locator('input[name=username]').waitFor({ timeout: 10_000 });
    await page.waitForTimeout(500);
    assert.equal(await page.getByText(CITIZEN).count(), 0, 'no citizen while the server refuses the login');

    await page.locator('input[name=password]').fill('demo');
    await page.getByRole('button', { name: 'Log ind' }).click();
    await waitSynced(page);
    await page.getByRole('link', { name: CITIZEN }).first().waitFor();
    assert.deepEqual(errors, []);
  } finally {
    await env.close();
  }
});
