// Two tablets each use the last clip of the same citizen while offline; both
// uses reach the server, and the coordinator sees the card overdrawn.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { apiLogin, apiPullAll } from './lib/server.mjs';
import { SHOTS, scenario } from './lib/scenario.mjs';
import { TABLET, loginInApp, pendingCount, waitSynced } from './lib/browser.mjs';

/** The last weekday up to today in Copenhagen, as YYYY-MM-DD (the demo policy allows weekdays 11–17). */
function lastWeekday() {
  for (let back = 0; back < 7; back++) {
    const d = new Date(Date.now() - back * 86_400_000);
    const day = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Copenhagen', weekday: 'short' }).format(d);
    if (day !== 'Sat' && day !== 'Sun') {
      return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Copenhagen' }).format(d);
    }
  }
  throw new Error('no weekday in a week');
}

async function openKaj(page) {
  await page.getByRole('link', { name: 'Kaj Andersen' }).first().click();
  await page.getByTestId('clip-balance').waitFor();
}

async function useOneClip(page, purpose) {
  await page.getByRole('link', { name: 'Brug klip' }).click();
  await page.locator('input[name=purpose]').fill(purpose);
  await page.locator('input[name=date]').fill(lastWeekday());
  await page.locator('input[name=time]').fill('12:00');
  // One clip (the empty minutes field means one clip), one helper, no transport: no rule is broken.
  assert.deepEqual(await page.getByTestId('clip-warnings').locator('li').allTextContents(), []);
  await page.getByRole('button', { name: 'Gem' }).click();
  await page.getByText('Gemt på enheden.').waitFor();
}

test('anna and bo each use the last clip offline; both reach the server; dorte sees the card overdrawn', { timeout: 180_000 }, async () => {
  const env = await scenario();
  const { browser } = env;
  try {
    const annaCtx = await browser.newContext({ viewport: TABLET });
    const boCtx = await browser.newContext({ viewport: TABLET });
    const anna = await annaCtx.newPage();
    const bo = await boCtx.newPage();
    const errors = [];
    for (const page of [anna, bo]) {
      page.on('pageerror', (e) => errors.push(e.message));
    }
    await loginInApp(anna, env.server.base, 'anna');
    await loginInApp(bo, env.server.base, 'bo');
    for (const page of [anna, bo]) {
      await page.evaluate(() => navigator.serviceWorker.ready);
      await openKaj(page);
      assert.equal((await page.getByTestId('clip-balance').textContent()).trim(), '1 klip tilbage (30 min)');
    }
    await anna.screenshot({ path: SHOTS + 'clipcard-one-left-tablet.png', fullPage: true });

    await boCtx.setOffline(true);
    await env.goOffline(annaCtx);

    await useOneClip(anna, 'Spisecafé med Anna');
    await useOneClip(bo, 'Kortspil med Bo');
    for (const page of [anna, bo]) {
      assert.equal((await page.getByTestId('clip-balance').textContent()).trim(), '0 klip tilbage (0 min)');
      assert.equal(await pendingCount(page), 1);
    }

    await env.goOnline(annaCtx);
    await boCtx.setOffline(false);
    await waitSynced(anna);
    await waitSynced(bo);
    // Each tablet learns of the other's use on its next sync.
    for (const page of [anna, bo]) {
      await page.getByRole('button', { name: 'Send nu' }).click();
      await page.getByTestId('clip-balance').getByText('Overtrukket med 1 klip (30 min)').waitFor();
      assert.equal(await pendingCount(page), 0);
    }

    // Both uses are on the server, once each; the card is overdrawn.
    const token = await apiLogin(env.server.base, 'dorte');
    const all = await apiPullAll(env.server.base, token);
    for (const purpose of ['Spisecafé med Anna', 'Kortspil med Bo']) {
      const uses = all.filter((c) => c.record.kind === 'clip_entry' && c.record.data.purpose === purpose);
      assert.equal(uses.length, 1, purpose);
      assert.equal(uses[0].record.data.kind, 'use');
      assert.equal(uses[0].record.data.minutes, 30);
    }
    const kaj = all.find((c) => c.record.kind === 'citizen' && c.record.data.name === 'Kaj Andersen').record.data.id;
    const card = all.filter((c) => c.record.kind === 'clip_card' && c.record.data.citizen_id === kaj).at(-1).record.data;
    assert.equal(card.check.overdrawn, true);
    assert.equal(card.check.available_minutes, -30);

    // The coordinator's overview lists the card as overdrawn.
    const dorte = await (await browser.newContext({ viewport: TABLET })).newPage();
    dorte.on('pageerror', (e) => errors.push(e.message));
    await loginInApp(dorte, env.server.base, 'dorte');
    await dorte.getByRole('link', { name: 'Oversigt' }).click();
    const row = dorte.getByTestId('clip-alerts').locator('li[data-citizen="Kaj Andersen"]');
    await row.getByTestId('overdrawn').waitFor();
    assert.match(await row.textContent(), /Overtrukket −30 min/);
    await dorte.screenshot({ path: SHOTS + 'clip-alerts-coordinator-tablet.png', fullPage: true });
    await row.getByRole('link', { name: 'Kaj Andersen' }).click();
    await dorte.getByTestId('clip-server-flag').waitFor();
    // The coordinator settles it: an adjustment of one clip, with a reason.
    await dorte.getByRole('link', { name: 'Brug klip' }).click();
    await dorte.getByRole('radio', { name: 'Justér saldoen' }).check();
    await dorte.locator('input[name=minutes]').fill('30');
    await dorte.locator('input[name=reason]').fill('Dobbelt brug af sidste klip dækkes');
    await dorte.getByRole('button', { name: 'Gem' }).click();
    await dorte.getByText('Gemt på enheden.').waitFor();
    assert.equal((await dorte.getByTestId('clip-balance').textContent()).trim(), '0 klip tilbage (0 min)');
    await waitSynced(dorte);
    const settled = (await apiPullAll(env.server.base, token)).filter((c) =>
      c.record.kind === 'clip_entry' && c.record.data.kind === 'adjust' && c.record.data.reason === 'Dobbelt brug af sidste klip dækkes');
    assert.equal(settled.length, 1);
    assert.equal(settled[0].record.data.minutes, 30);

    // A further use now warns before it is saved, and says why.
    await bo.getByRole('link', { name: 'Brug klip' }).click();
    await bo.locator('input[name=purpose]').fill('Gåtur');
    await bo.locator('input[name=date]').fill(lastWeekday());
    await bo.locator('input[name=time]').fill('12:00');
    await bo.getByTestId('clip-warnings').getByText('Det bliver overtrukket mere').waitFor();
    await bo.screenshot({ path: SHOTS + 'clip-form-warning-tablet.png', fullPage: true });

    assert.deepEqual(errors, []);
  } finally {
    await env.close();
  }
});
