// Loneliness-sign registration offline, synced, and visible to the coordinator.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { apiLogin, apiPullAll } from './lib/server.mjs';
import { SHOTS, scenario } from './lib/scenario.mjs';
import { TABLET, loginInApp, pendingCount, waitSynced } from './lib/browser.mjs';

/** A date n days from today in Copenhagen, as YYYY-MM-DD. */
function copenhagenDate(days) {
  const d = new Date(Date.now() + days * 86_400_000);
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Copenhagen' }).format(d);
}

test('offline, anna registers signs with UCLA-3 3-2-3; dorte sees the follow-up in the overview', { timeout: 180_000 }, async () => {
  const env = await scenario();
  const { browser } = env;
  try {
    const anna = await browser.newContext({ viewport: TABLET });
    const page = await anna.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await loginInApp(page, env.server.base, 'anna');
    await page.evaluate(() => navigator.serviceWorker.ready);

    await env.goOffline(anna);

    await page.getByRole('link', { name: 'Ruth Larsen' }).first().click();
    await page.getByRole('link', { name: 'Registrér ensomhedstegn' }).click();
    // Step 1: signs and UCLA-3.
    await page.getByLabel('Virker indesluttet eller trukket ind i sig selv').check();
    await page.getByLabel('Få eller ingen besøg').check();
    for (const [item, answer] of [[0, 3], [1, 2], [2, 3]]) {
      await page.locator(`input[name=ucla-${item}][value="${answer}"]`).check();
    }
    await page.getByTestId('ucla-total').getByText('8 / 9').waitFor();
    await page.getByRole('button', { name: 'Næste' }).click();
    // Step 2: wishes and barriers.
    await page.getByLabel('Spise sammen med andre').check();
    await page.getByLabel('Vil ikke gå alene').check();
    await page.locator('textarea[name=own_words]').fill('Jeg savner at spise sammen med nogen.');
    await page.getByRole('button', { name: 'Næste' }).click();
    // Step 3: the policy (cut-off 6, two signs) gives red.
    const suggested = page.getByTestId('suggested-level');
    assert.equal(await suggested.getAttribute('data-level'), 'red');
    assert.equal((await suggested.textContent()).trim(), 'Rød');
    // Until she picks another, the suggestion is the chosen level.
    assert.equal(await page.getByRole('radio', { name: 'Rød' }).isChecked(), true);
    await page.getByLabel('Aktivitet med ledsager fra hjemmeplejen').check();
    const followUp = copenhagenDate(1);
    await page.locator('input[name=follow_up_on]').fill(followUp);
    await page.screenshot({ path: SHOTS + 'loneliness-step3-tablet.png', fullPage: true });
    await page.getByRole('button', { name: 'Gem' }).click();
    await page.getByText('Gemt på enheden.').waitFor();
    assert.equal(await pendingCount(page), 1);
    const waiting = page.locator('li.registration[data-status=waiting]');
    await waiting.waitFor();
    assert.match(await waiting.textContent(), /Rød/);

    await env.goOnline(anna);
    await waitSynced(page);
    assert.equal(await pendingCount(page), 0);

    // Once on the server.
    const token = await apiLogin(env.server.base, 'dorte');
    const stored = (await apiPullAll(env.server.base, token)).filter((c) =>
      c.record.kind === 'loneliness' && c.record.data.own_words === 'Jeg savner at spise sammen med nogen.');
    assert.equal(stored.length, 1);
    assert.deepEqual(stored[0].record.data.ucla, { missing_company: 3, left_out: 2, isolated: 3 });
    assert.equal(stored[0].record.data.chosen_level, 'red');
    assert.equal(stored[0].record.data.next_step.follow_up_on, followUp);

    // The coordinator sees Ruth at red with the follow-up due.
    const dorte = await (await browser.newContext({ viewport: TABLET })).newPage();
    await loginInApp(dorte, env.server.base, 'dorte');
    await dorte.getByRole('link', { name: 'Oversigt' }).click();
    const row = dorte.getByTestId('overview-flagged').locator('li.overview-row[data-citizen="Ruth Larsen"]');
    await row.waitFor();
    assert.match(await row.textContent(), /Rød/);
    const [d, m, y] = [followUp.slice(8, 10), followUp.slice(5, 7), followUp.slice(0, 4)];
    assert.match(await row.getByTestId('follow-up').textContent(), new RegExp(`${d}\\.${m}\\.${y}`));
    await dorte.screenshot({ path: SHOTS + 'overview-coordinator-tablet.png', fullPage: true });
    // Ruth was not screened before; now she is.
    assert.equal(await dorte.getByTestId('overview-unscreened').locator('li[data-citizen="Ruth Larsen"]').count(), 0);

    // Anna corrects it: same signs, but she chooses yellow and says why. Both are kept.
    await page.locator('li.registration', { hasText: 'Jeg savner at spise sammen med nogen.' })
      .getByRole('link', { name: 'Ret' }).click();
    await page.getByText('Ret registrering').waitFor();
    assert.equal(await page.getByLabel('Få eller ingen besøg').isChecked(), true);
    await page.getByRole('button', { name: 'Næste' }).click();
    await page.getByRole('button', { name: 'Næste' }).click();
    await page.getByRole('radio', { name: 'Gul' }).check();
    await page.locator('textarea[name=reason]').fill('Datteren kommer hjem i morgen.');
    await page.getByRole('button', { name: 'Gem' }).click();
    await page.getByText('Erstattet af en rettelse').waitFor();
    await waitSynced(page);
    const both = (await apiPullAll(env.server.base, token)).filter((c) =>
      c.record.kind === 'loneliness' && c.record.data.own_words === 'Jeg savner at spise sammen med nogen.');
    assert.equal(both.length, 2);
    const correction = both.find((c) => c.record.data.corrects !== null);
    assert.equal(correction.record.data.corrects, stored[0].record.data.id);
    assert.equal(correction.record.data.chosen_level, 'yellow');
    assert.equal(correction.record.data.suggested_level, 'red');

    assert.deepEqual(errors, []);
  } finally {
    await env.close();
  }
});
