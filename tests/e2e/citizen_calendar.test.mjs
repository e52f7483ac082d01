// The citizen's own app on a phone: Else sees who comes tomorrow and her
// booked activities, asks to join a weekend activity while offline; anna
// confirms the request; Else sees it confirmed after her next sync.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { apiLogin, apiPullAll } from './lib/server.mjs';
import { SHOTS, scenario } from './lib/scenario.mjs';
import { PHONE, TABLET, loginInApp, pendingCount, waitSynced, unlock } from './lib/browser.mjs';

/** A Copenhagen date (YYYY-MM-DD) of an instant. */
function copenhagenDate(instant) {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Copenhagen' }).format(new Date(instant));
}

/** Today plus `days` in Copenhagen, as YYYY-MM-DD. */
function dayFromToday(days) {
  return copenhagenDate(Date.now() + days * 86_400_000);
}

test('else asks to join a weekend activity offline on her phone; anna confirms; else sees it booked', { timeout: 180_000 }, async () => {
  const env = await scenario();
  const { browser } = env;
  try {
    // What the server holds for Else: her visits tomorrow and her booked activities this week.
    const token = await apiLogin(env.server.base, 'else');
    const records = (await apiPullAll(env.server.base, token)).map((c) => c.record);
    const tomorrow = dayFromToday(1);
    const visitsTomorrow = records.filter((r) => r.kind === 'visit' && copenhagenDate(r.data.starts_at) === tomorrow);
    assert.ok(visitsTomorrow.length > 0, 'the demo plans a visit to Else tomorrow');
    const week = new Set([0, 1, 2, 3, 4, 5, 6].map(dayFromToday));
    const bookedThisWeek = records.filter((r) => r.kind === 'booking' && r.data.status === 'booked'
      && week.has(copenhagenDate(r.data.occurrence_start)));
    assert.ok(bookedThisWeek.length > 0, 'the demo books Else on an activity this week');
    // No other citizen's name reaches her (the server scopes; the page must not show one either).
    const names = records.filter((r) => r.kind === 'citizen').map((r) => r.data.name);
    assert.deepEqual(names, ['Else Marie Jensen']);

    const elseCtx = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true });
    const elsePage = await elseCtx.newPage();
    const errors = [];
    elsePage.on('pageerror', (e) => errors.push(e.message));
    await loginInApp(elsePage, env.server.base, 'else');
    await elsePage.evaluate(() => navigator.serviceWorker.ready);
    await elsePage.getByRole('heading', { name: 'Min kalender' }).waitFor();

    // Who comes tomorrow: every visit the server planned, with the worker's name.
    const tomorrowSection = elsePage.locator(`section.day[data-day="${tomorrow}"]`);
    assert.equal((await tomorrowSection.locator('h2').textContent()).trim(), 'I morgen');
    const visitLines = await tomorrowSection.locator('li[data-kind=visit]').allTextContents();
    assert.equal(visitLines.length, visitsTomorrow.length);
    for (const visit of visitsTomorrow) {
      assert.ok(visitLines.some((line) => line.includes(`${visit.data.worker_name} kommer`)),
        `${visit.data.worker_name} is shown as coming tomorrow: ${visitLines}`);
    }
    // Her booked activities this week.
    const booked = elsePage.locator('li[data-kind=booking][data-status=booked]');
    assert.equal(await booked.count(), bookedThisWeek.length);
    assert.match(await booked.first().textContent(), /Du er tilmeldt/);
    // Her clip card.
    assert.match(await elsePage.getByTestId('my-clips').textContent(), /klip tilbage/);
    const text = await elsePage.locator('body').textContent();
    for (const other of ['Kaj Andersen', 'Inger Nielsen']) {
      assert.ok(!text.includes(other), `another citizen's name (${other}) is on Else's page`);
    }
    await elsePage.screenshot({ path: SHOTS + 'citizen-calendar-phone.png', fullPage: true });

    // Offline: she asks to join a weekend activity she has not asked for.
    await env.goOffline(elseCtx);
    const offer = elsePage.locator('li.offer[data-weekend=true]').filter({
      has: elsePage.getByRole('button', { name: 'Jeg vil gerne med' }),
    }).first();
    const title = await offer.getAttribute('data-title');
    const when = (await offer.locator('p.when').textContent()).trim();
    await offer.getByRole('button', { name: 'Jeg vil gerne med' }).click();
    await elsePage.getByText('Gemt på enheden.').waitFor();
    const asked = elsePage.locator('li.offer', { hasText: when }).filter({ has: elsePage.locator(`h3`, { hasText: title }) });
    assert.match(await asked.textContent(), /Du har spurgt – venter på svar/);
    assert.equal(await pendingCount(elsePage), 1);

    // Still there after a reload while offline (the app starts from its cache).
    await elsePage.reload();
    await unlock(elsePage);
    await elsePage.getByRole('heading', { name: 'Min kalender' }).waitFor();
    assert.match(await asked.textContent(), /Du har spurgt – venter på svar/);

    await env.goOnline(elseCtx);
    await elsePage.getByRole('button', { name: 'Send nu' }).click();
    await waitSynced(elsePage);
    assert.equal(await pendingCount(elsePage), 0);

    // anna sees the request on her start page and confirms it.
    const annaCtx = await browser.newContext({ viewport: TABLET });
    const anna = await annaCtx.newPage();
    anna.on('pageerror', (e) => errors.push(e.message));
    await loginInApp(anna, env.server.base, 'anna');
    const request = anna.getByTestId('requests')
      .locator(`li.booking[data-citizen="Else Marie Jensen"][data-title="${title}"]`);
    await request.waitFor();
    await request.getByRole('button', { name: 'Bekræft' }).click();
    await anna.getByText('Gemt på enheden.').waitFor();
    await anna.getByRole('button', { name: 'Send nu' }).click();
    await waitSynced(anna);
    assert.equal(await pendingCount(anna), 0);
    assert.equal(await request.count(), 0, 'a confirmed request leaves the list');

    // Else's next sync shows it confirmed.
    await elsePage.getByRole('button', { name: 'Send nu' }).click();
    await waitSynced(elsePage);
    await asked.getByText('Du er tilmeldt').waitFor();
    await elsePage.screenshot({ path: SHOTS + 'citizen-calendar-confirmed-phone.png', fullPage: true });

    // The same calendar on a tablet.
    const tabletCtx = await browser.newContext({ viewport: TABLET });
    const tablet = await tabletCtx.newPage();
    await loginInApp(tablet, env.server.base, 'else');
    await tablet.getByRole('heading', { name: 'Min kalender' }).waitFor();
    await tablet.screenshot({ path: SHOTS + 'citizen-calendar-tablet.png', fullPage: true });

    assert.deepEqual(errors, []);
  } finally {
    await env.close();
  }
});
