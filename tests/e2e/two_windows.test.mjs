// One login in two windows of one tablet (the installed app and a browser
// tab): both offline, each saving without reloading, then online. Every
// change reaches the server exactly once, and each window shows the other's
// saves within about a second.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { apiLogin, apiPullAll } from './lib/server.mjs';
import { scenario } from './lib/scenario.mjs';
import { TABLET, loginInApp, pendingCount, waitSynced, unlock } from './lib/browser.mjs';

async function writeNote(page, text) {
  await page.getByRole('link', { name: 'Skriv notat' }).click();
  await page.locator('textarea[name=text]').fill(text);
  await page.getByRole('button', { name: 'Gem' }).click();
  await page.getByText('Gemt på enheden.').waitFor();
}

test('two windows of one login save offline; every change reaches the server once', { timeout: 240_000 }, async () => {
  const env = await scenario();
  try {
    const tablet = await env.browser.newContext({ viewport: TABLET });
    const app = await tablet.newPage();
    const tab = await tablet.newPage();
    const errors = [];
    for (const p of [app, tab]) p.on('pageerror', (e) => errors.push(e.message));
    await loginInApp(app, env.server.base, 'anna');
    await app.evaluate(() => navigator.serviceWorker.ready);
    // The second window opens the same login (the session is on the device).
    await tab.goto(env.server.base + '/');
    await unlock(tab);
    await waitSynced(tab);
    for (const p of [app, tab]) {
      await p.getByRole('link', { name: 'Inger Nielsen' }).first().click();
      await p.getByRole('link', { name: 'Skriv notat' }).waitFor();
    }
    const citizenUrl = app.url();

    await env.goOffline(tablet);
    const stamp = Date.now();
    const texts = [];
    for (let round = 0; round < 3; round++) {
      for (const [name, page] of [['app', app], ['fane', tab]]) {
        const text = `${name} ${round} (${stamp})`;
        texts.push(text);
        await writeNote(page, text);
      }
    }
    // Each window shows the other's notes without a reload (BroadcastChannel).
    const started = Date.now();
    for (const page of [app, tab]) {
      for (const text of texts) {
        await page.locator('article.revision', { hasText: text }).waitFor({ timeout: 3_000 });
      }
    }
    console.log(`both windows show all ${texts.length} notes ${Date.now() - started} ms after the last save`);
    assert.equal(await pendingCount(app), texts.length);
    assert.equal(await pendingCount(tab), texts.length);

    await env.goOnline(tablet);
    await Promise.all([waitSynced(app), waitSynced(tab)]);
    await app.goto(citizenUrl);
    await unlock(app);
    await waitSynced(app);
    assert.equal(await pendingCount(app), 0);
    assert.equal(await pendingCount(tab), 0);

    const dorte = await apiLogin(env.server.base, 'dorte');
    const onServer = (await apiPullAll(env.server.base, dorte))
      .filter((c) => c.record.kind === 'note' && c.record.data.text.endsWith(`(${stamp})`))
      .map((c) => c.record.data.text)
      .sort();
    assert.deepEqual(onServer, [...texts].sort(), 'each change exactly once');
    assert.deepEqual(errors, []);
  } finally {
    await env.close();
  }
});
