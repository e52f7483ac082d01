// Staff and the activity catalogue: dorte creates and edits an activity
// offline (revisions); anna books Else onto it (a companion on clips needs a
// coordinator's permission); bo books Kaj offline onto the last place, the
// server flags the overfilled occurrence and dorte sees it; online, a full
// occurrence is refused; dorte books a companion, planned on the clip card.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { apiLogin, apiPullAll } from './lib/server.mjs';
import { SHOTS, scenario } from './lib/scenario.mjs';
import { TABLET, loginInApp, pendingCount, waitSynced } from './lib/browser.mjs';

const TITLE = 'Julehygge med æbleskiver';

/** Tomorrow in Copenhagen: its date (YYYY-MM-DD) and ISO weekday (1 = Monday). */
function tomorrow() {
  const at = new Date(Date.now() + 86_400_000);
  const date = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Copenhagen' }).format(at);
  const name = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Copenhagen', weekday: 'short' }).format(at);
  return { date, weekday: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(name) + 1 };
}

async function openCitizen(page, name) {
  await page.getByRole('link', { name: 'Nærvær' }).click();
  await page.getByRole('link', { name }).first().click();
  await page.getByTestId('book-activity').waitFor();
}

/** Opens "Book en aktivitet", picks the first time of the activity titled `title`, ticks `needs`. */
async function fillBooking(page, title, needs) {
  const form = page.getByTestId('book-activity');
  if (!(await form.evaluate((d) => d.open))) await form.locator('summary').click();
  const option = form.locator('select[name=occurrence] option', { hasText: title }).first();
  await form.locator('select[name=occurrence]').selectOption(await option.getAttribute('value'));
  for (const need of ['companion', 'transport', 'care']) {
    await form.locator(`input[name=needs][value=${need}]`).setChecked(needs.includes(need));
  }
  return form;
}

test('dorte edits the catalogue offline; bookings respect places, overfill is flagged, companions draw clips', { timeout: 240_000 }, async () => {
  const env = await scenario();
  const { browser } = env;
  try {
    const errors = [];
    const open = async (username) => {
      const ctx = await browser.newContext({ viewport: TABLET });
      const page = await ctx.newPage();
      page.on('pageerror', (e) => errors.push(e.message));
      await loginInApp(page, env.server.base, username);
      await page.evaluate(() => navigator.serviceWorker.ready);
      return { ctx, page };
    };

    // dorte, offline, creates an activity with two places, then edits it to one.
    const { ctx: dorteCtx, page: dorte } = await open('dorte');
    await dorte.getByRole('link', { name: 'Aktiviteter' }).click();
    await dorte.getByRole('heading', { name: 'Aktiviteter' }).waitFor();
    await env.goOffline(dorteCtx);
    await dorte.getByRole('button', { name: 'Ny aktivitet' }).click();
    const day = tomorrow();
    const form = dorte.locator('form.activity-form');
    await form.locator('input[name=title]').fill(TITLE);
    await form.locator('textarea[name=description]').fill('Vi bager æbleskiver og synger julesange.');
    await form.getByRole('radio', { name: 'Frivillige' }).check();
    await form.locator('input[name=organiser_name]').fill('Frivilligcenter Køge');
    await form.locator('input[name=place]').fill('Aktivitetscentret, Ølby Torv 2, Køge');
    await form.locator('select[name=weekday]').selectOption(String(day.weekday));
    await form.locator('input[name=date]').fill(day.date);
    await form.locator('input[name=start]').fill('10:00');
    await form.locator('input[name=end]').fill('09:00');
    await form.locator('input[name=capacity]').fill('2');
    await form.getByRole('checkbox', { name: 'Plads til kørestol' }).check();
    await form.locator('input[name=contact]').fill('Lise, 40 50 60 70');
    await form.getByRole('button', { name: 'Gem' }).click();
    // An end before the start is explained, and nothing typed is lost.
    await dorte.getByText('Slut skal være efter start').waitFor();
    assert.equal(await form.locator('input[name=title]').inputValue(), TITLE);
    await form.locator('input[name=end]').fill('11:00');
    await form.getByRole('button', { name: 'Gem' }).click();
    await dorte.getByText('Gemt på enheden.').waitFor();
    const item = dorte.locator(`li.activity[data-title="${TITLE}"]`);
    assert.match(await item.textContent(), /10:00–11:00.*2 pladser/);
    await item.getByRole('button', { name: 'Ret' }).click();
    assert.equal(await form.locator('input[name=capacity]').inputValue(), '2');
    await form.locator('input[name=capacity]').fill('1');
    await form.getByRole('button', { name: 'Gem' }).click();
    await dorte.getByText('Gemt på enheden.').waitFor();
    assert.match(await item.textContent(), /· 1 plads ·/);
    assert.equal(await pendingCount(dorte), 2);
    await dorte.screenshot({ path: SHOTS + 'catalogue-coordinator-tablet.png', fullPage: true });
    await env.goOnline(dorteCtx);
    await dorte.getByRole('button', { name: 'Send nu' }).click();
    await waitSynced(dorte);
    assert.equal(await pendingCount(dorte), 0);

    // Two revisions on the server; the second replaces the first.
    const annaToken = await apiLogin(env.server.base, 'anna');
    const revisions = (await apiPullAll(env.server.base, annaToken))
      .filter((c) => c.record.kind === 'activity' && c.record.data.title === TITLE)
      .map((c) => c.record.data);
    assert.equal(revisions.length, 2);
    assert.equal(revisions[1].replaces, revisions[0].id);
    assert.equal(revisions[1].activity_id, revisions[0].activity_id);
    assert.equal(revisions[1].capacity, 1);
    assert.equal(revisions[1].author_name, 'Dorte Vestergaard');
    assert.equal(revisions[1].wheelchair_access, true);

    // bo's tablet has the new catalogue, then loses the network.
    const { ctx: boCtx, page: bo } = await open('bo');
    await boCtx.setOffline(true);

    // anna books Else: a companion on clips breaks the policy for a worker; without it, the booking is saved.
    const { page: anna } = await open('anna');
    await openCitizen(anna, 'Else Marie Jensen');
    const annaForm = await fillBooking(anna, TITLE, ['companion', 'transport']);
    await annaForm.getByRole('button', { name: 'Book' }).click();
    await anna.getByText('Følgeskab på klip kræver en koordinators lov').waitFor();
    await fillBooking(anna, TITLE, ['transport']);
    await annaForm.getByRole('button', { name: 'Book' }).click();
    await anna.getByText('Gemt på enheden.').waitFor();
    const elseBooking = anna.getByTestId('citizen-bookings').locator(`li.booking[data-title="${TITLE}"]`);
    assert.match(await elseBooking.textContent(), /Tilmeldt/);
    await fillBooking(anna, TITLE, ['transport']);
    await anna.getByTestId('citizen-bookings').screenshot({ path: SHOTS + 'citizen-bookings-worker-tablet.png' });
    await anna.getByRole('button', { name: 'Send nu' }).click();
    await waitSynced(anna);

    // bo, offline, still sees a free place and books Kaj on it.
    await openCitizen(bo, 'Kaj Andersen');
    const boForm = await fillBooking(bo, TITLE, []);
    assert.match(await boForm.locator('select[name=occurrence] option', { hasText: TITLE }).first().textContent(), / · 1 ledig$/);
    await boForm.getByRole('button', { name: 'Book' }).click();
    await bo.getByText('Gemt på enheden.').waitFor();
    await boCtx.setOffline(false);
    await bo.getByRole('button', { name: 'Send nu' }).click();
    await waitSynced(bo);
    assert.equal(await pendingCount(bo), 0);

    // The server accepted it and flagged it; dorte's overview shows it.
    const booked = (await apiPullAll(env.server.base, annaToken))
      .filter((c) => c.record.kind === 'booking' && c.record.data.activity_id === revisions[0].activity_id)
      .map((c) => c.record.data);
    assert.equal(booked.length, 2);
    assert.deepEqual(booked.map((b) => b.overfilled), [false, true]);
    await dorte.getByRole('button', { name: 'Send nu' }).click();
    await waitSynced(dorte);
    await dorte.getByRole('link', { name: 'Oversigt' }).click();
    const flagged = dorte.getByTestId('clip-alerts').locator(`li.booking[data-citizen="Kaj Andersen"][data-title="${TITLE}"]`);
    await flagged.getByText('Flere end pladserne').waitFor();
    await dorte.screenshot({ path: SHOTS + 'overfilled-coordinator-tablet.png', fullPage: true });

    // Online, the full occurrence is refused; a companion on another activity
    // is planned on Inger's clip card by the coordinator.
    await openCitizen(dorte, 'Inger Nielsen');
    const dorteForm = await fillBooking(dorte, TITLE, []);
    assert.match(await dorteForm.locator('select[name=occurrence] option', { hasText: TITLE }).first().textContent(), /fuldt/);
    await dorteForm.getByRole('button', { name: 'Book' }).click();
    await dorte.getByText('Der er ikke flere ledige pladser').waitFor();
    await fillBooking(dorte, 'Spisecafé', ['companion']);
    await dorteForm.getByRole('button', { name: 'Book' }).click();
    await dorte.getByText('Gemt på enheden.').waitFor();
    await dorte.getByRole('button', { name: 'Send nu' }).click();
    await waitSynced(dorte);
    const all = await apiPullAll(env.server.base, annaToken);
    const inger = all.find((c) => c.record.kind === 'citizen' && c.record.data.name === 'Inger Nielsen').record.data.id;
    const cafe = all.find((c) => c.record.kind === 'activity' && c.record.data.title === 'Spisecafé').record.data.activity_id;
    const companion = all.filter((c) => c.record.kind === 'booking' && c.record.data.citizen_id === inger
      && c.record.data.activity_id === cafe && c.record.data.author_name === 'Dorte Vestergaard').map((c) => c.record.data);
    assert.equal(companion.length, 1);
    assert.equal(companion[0].needs.companion, true);
    const plan = all.find((c) => c.record.kind === 'clip_entry' && c.record.data.id === companion[0].clip_entry_id);
    assert.ok(plan, 'the companion is planned on the clip card');
    assert.equal(plan.record.data.kind, 'plan');
    assert.equal(plan.record.data.activity_id, cafe);
    assert.equal(plan.record.data.minutes, 120, 'two hours, in whole clips');
    assert.equal(plan.record.data.at, companion[0].occurrence_start);

    assert.deepEqual(errors, []);
  } finally {
    await env.close();
  }
});
