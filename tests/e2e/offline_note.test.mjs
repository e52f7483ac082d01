// The walking skeleton: a note written offline reaches the server exactly once.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { apiLogin, apiPullAll } from './lib/server.mjs';
import { SHOTS, scenario } from './lib/scenario.mjs';
import { TABLET, loginInApp, pendingCount, waitSynced, unlock } from './lib/browser.mjs';

test('a note written offline survives a reload and reaches the server exactly once', { timeout: 180_000 }, async () => {
  const env = await scenario();
  const { browser } = env;
  try {
    const anna = await browser.newContext({ viewport: TABLET });
    const page = await anna.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await loginInApp(page, env.server.base, 'anna');
    await page.getByTestId('visit-list').waitFor();
    await page.screenshot({ path: SHOTS + 'visit-list-tablet.png' });
    // The service worker controls the page and has the shell cached.
    await page.evaluate(() => navigator.serviceWorker.ready);
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 15_000 });

    // The network goes away: the browser is offline and the server is gone.
    await env.goOffline(anna);

    // Offline cold start: a new page load from the service worker's cache to the visit list.
    await page.goto(env.server.base + '/');
    const started = performance.now();
    await unlock(page);
    await page.getByTestId('visit-list').waitFor();
    console.log(`offline unlock to visit list: ${(performance.now() - started).toFixed(0)} ms (budget 1000 ms)`);

    await page.getByRole('link', { name: 'Inger Nielsen' }).first().click();
    await page.getByRole('link', { name: 'Skriv notat' }).click();
    const text = `Inger var glad for besøget. Talte om haven. (${Date.now()})`;
    await page.locator('select[name=category]').selectOption('social_life');
    await page.locator('textarea[name=text]').fill(text);
    await page.getByRole('button', { name: 'Gem' }).click();
    await page.getByText('Gemt på enheden.').waitFor();
    assert.equal(await pendingCount(page), 1);

    // The tablet is closed and opened again, still offline.
    await page.reload();
    await unlock(page);
    const note = page.locator('article.revision', { hasText: text });
    await note.waitFor({ timeout: 15_000 });
    assert.equal(await note.getAttribute('data-status'), 'waiting');
    await note.getByText('Venter på at blive sendt').waitFor();
    assert.equal(await pendingCount(page), 1);
    await page.screenshot({ path: SHOTS + 'note-waiting-offline.png' });

    // Back online: the same server, same database, same address.
    await env.goOnline(anna);
    await waitSynced(page);
    assert.equal(await pendingCount(page), 0);
    assert.equal(await note.getAttribute('data-status'), 'synced');

    // The server holds it exactly once.
    const dorte = await apiLogin(env.server.base, 'dorte');
    const onServer = (await apiPullAll(env.server.base, dorte))
      .filter((c) => c.record.kind === 'note' && c.record.data.text === text);
    assert.equal(onServer.length, 1);
    assert.equal(onServer[0].record.data.author_name, 'Anna Holm');

    // A colleague in the same team sees it on her own tablet.
    const bo = await (await browser.newContext({ viewport: TABLET })).newPage();
    await loginInApp(bo, env.server.base, 'bo');
    await bo.getByRole('link', { name: 'Inger Nielsen' }).first().click();
    await bo.locator('article.revision', { hasText: text }).waitFor();

    // A worker of team Syd does not: not in the app, not through the API.
    const carl = await (await browser.newContext({ viewport: TABLET })).newPage();
    await loginInApp(carl, env.server.base, 'carl');
    assert.equal(await carl.getByRole('link', { name: 'Inger Nielsen' }).count(), 0);
    await carl.goto(page.url());
    await unlock(carl);
    await carl.getByText('Siden findes ikke.').waitFor();
    assert.equal(await carl.getByText(text).count(), 0);
    const carlToken = await apiLogin(env.server.base, 'carl');
    const carlSees = await apiPullAll(env.server.base, carlToken);
    assert.equal(carlSees.filter((c) => c.record.kind === 'note' && c.record.data.text === text).length, 0);

    assert.deepEqual(errors, []);
  } finally {
    await env.close();
  }
});
