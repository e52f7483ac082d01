// A tablet left on a table: after minutes without use the citizens leave
// the screen (the soft lock) while sync goes on, and the PIN chosen at
// unlock brings them back; five wrong PINs lock every window of the login
// hard; after 30 minutes only the password opens. A shared tablet:
// "Skift bruger" locks and offers the login, and the login form says whose
// changes still wait on the device. Time is moved by Playwright's clock
// (Date, timers and performance of every window of the context).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AxeBuilder } from '@axe-core/playwright';

import { scenario } from './lib/scenario.mjs';
import { adminCommand, notesOnServer } from './lib/server.mjs';
import { openTablet, pendingCount, unlock, waitSynced, writeNote } from './lib/browser.mjs';

const CITIZEN = 'Inger Nielsen';

async function logIn(page, username, pin) {
  await page.locator('input[name=username]').fill(username);
  await page.locator('input[name=password]').fill('demo');
  if (pin) await page.locator('input[name=pin]').fill(pin);
  await page.getByRole('button', { name: 'Log ind' }).click();
  await page.locator('input[name=password]').waitFor({ state: 'detached', timeout: 20_000 });
}

/** axe-core (WCAG 2.1 A/AA, as in accessibility.test.mjs) on this screen: no violation. */
async function accessible(page, screen) {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  assert.deepEqual(result.violations.map((v) => `${screen}: ${v.id}: ${v.help}`), []);
}

async function givePin(page, pin) {
  await page.locator('input[name=pin]').fill(pin);
  await page.getByRole('button', { name: 'Lås op' }).click();
}

test('the soft lock hides the citizens while sync goes on; the PIN resumes; five wrong PINs lock every window', { timeout: 120_000 }, async () => {
  const env = await scenario();
  try {
    const { tablet, pages: [app, tab], errors } = await openTablet(env, { windows: 2, clock: true });
    // A PIN a finder tries first is refused, and nothing is opened.
    await app.locator('input[name=username]').fill('anna');
    await app.locator('input[name=password]').fill('demo');
    await app.locator('input[name=pin]').fill('1234');
    await app.getByRole('button', { name: 'Log ind' }).click();
    await app.getByText('Vælg en pinkode, der er sværere at gætte').waitFor();
    await logIn(app, 'anna', '2580');
    await waitSynced(app);
    await app.getByRole('link', { name: CITIZEN }).first().waitFor();
    await logIn(tab, 'anna', '1357');
    await tab.getByRole('link', { name: CITIZEN }).first().waitFor();

    // Four minutes: still open. Past five without use: both windows locked.
    await tablet.clock.fastForward('04:00');
    await app.waitForTimeout(300);
    assert.equal(await app.locator('[data-testid=pin-lock]').count(), 0, 'open after 4 minutes');
    await tablet.clock.fastForward('01:30');
    for (const p of [app, tab]) {
      await p.locator('[data-testid=pin-lock]').waitFor({ timeout: 5_000 });
      assert.equal(await p.getByText(CITIZEN).count(), 0, 'no citizen on a soft-locked screen');
    }

    // Sync goes on while soft-locked.
    const synced = app.waitForResponse((r) => r.url().endsWith('/api/v1/sync') && r.ok());
    await app.evaluate(() => window.dispatchEvent(new Event('online')));
    await synced;

    // A wrong PIN is refused with the tries left; the right one resumes.
    await givePin(app, '1111');
    await app.getByText('Forkert pinkode. 4 forsøg tilbage.').waitFor();
    assert.equal(await app.getByText(CITIZEN).count(), 0);
    await accessible(app, 'soft lock');
    await givePin(app, '2580');
    await app.getByRole('link', { name: CITIZEN }).first().waitFor();
    await tablet.clock.fastForward('05:30');
    await app.locator('[data-testid=pin-lock]').waitFor({ timeout: 5_000 });
    // The other window has its own PIN: this window's does not open it.
    await givePin(tab, '2580');
    await tab.getByText('Forkert pinkode. 4 forsøg tilbage.').waitFor();
    // Wrong PINs count for the login, across its windows: five in all.
    await givePin(app, '0000');
    await app.getByText('Forkert pinkode. 3 forsøg tilbage.').waitFor();
    await givePin(tab, '0001');
    await tab.getByText('Forkert pinkode. 2 forsøg tilbage.').waitFor();
    await givePin(tab, '0002');
    await tab.getByText('Forkert pinkode. 1 forsøg tilbage.').waitFor();

    // The fifth: every window of the login is locked hard, and only the
    // password opens (the header offers no logout to whoever holds it).
    await givePin(tab, '0003');
    await tab.locator('input[name=password]').waitFor({ timeout: 5_000 });
    await app.locator('input[name=password]').waitFor({ timeout: 5_000 });
    assert.equal(await app.getByRole('button', { name: 'Log ud' }).count(), 0);
    for (const p of [app, tab]) {
      assert.equal(await p.getByText(CITIZEN).count(), 0, 'no citizen after the hard lock');
      assert.equal(await p.locator('input[name=username]').inputValue(), 'anna');
    }
    await unlock(app);
    await app.getByRole('link', { name: CITIZEN }).first().waitFor();
    assert.deepEqual(errors, []);
  } finally {
    await env.close();
  }
});

test('after 30 minutes only the password opens; "Skift bruger" says whose changes wait, and they are sent at that user\'s login', { timeout: 120_000 }, async () => {
  const env = await scenario();
  try {
    const { tablet, pages: [page], errors } = await openTablet(env, { clock: true });
    await logIn(page, 'anna', '2580');
    await waitSynced(page);
    await page.evaluate(() => navigator.serviceWorker.ready);

    // Hidden and unused for 31 minutes (no timer ran meanwhile): the first
    // look at the clocks locks hard; the PIN is no longer offered.
    await tablet.clock.pauseAt(Date.now() + 31 * 60_000);
    await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
    await page.locator('input[name=password]').waitFor({ timeout: 5_000 });
    assert.equal(await page.locator('[data-testid=pin-lock]').count(), 0);
    await tablet.clock.resume();
    await unlock(page);

    // Offline, a note: then another user takes the tablet.
    await env.goOffline(tablet);
    await page.getByRole('link', { name: CITIZEN }).first().click();
    const text = `Notat før vagtskifte (${Date.now()})`;
    await writeNote(page, text);
    assert.equal(await pendingCount(page), 1);
    await page.getByRole('button', { name: 'Skift bruger' }).click();
    await page.locator('input[name=password]').waitFor();
    assert.equal(await page.locator('input[name=username]').inputValue(), '', 'the form is for anyone');
    await page.getByText('Anna Holm har 1 ændring på enheden, som ikke er sendt.').waitFor();
    assert.equal(await page.getByText(CITIZEN).count(), 0);
    await accessible(page, 'login after "Skift bruger"');

    // Bo logs in (online) and sees his own team's data, not Anna's waiting note.
    await env.goOnline(tablet);
    await logIn(page, 'bo');
    await waitSynced(page);
    assert.equal(await pendingCount(page), 0, "Bo does not send Anna's change");
    // Anna takes the tablet back: her change is sent with her login.
    await page.getByRole('button', { name: 'Skift bruger' }).click();
    await logIn(page, 'anna');
    await waitSynced(page);
    assert.equal(await pendingCount(page), 0, 'sent at her login');
    assert.equal(await notesOnServer(env.server.base, text), 1, 'her note reached the server once');
    await page.getByRole('button', { name: 'Skift bruger' }).click();
    assert.equal(await page.locator('[data-testid=waiting-here]').count(), 0, 'nothing waits any more');
    assert.deepEqual(errors, []);
  } finally {
    await env.close();
  }
});

test('a disabled account: at its next sync the device forgets the key to its data, and no password opens it offline', { timeout: 120_000 }, async () => {
  const env = await scenario();
  try {
    const { tablet, pages: [page], errors } = await openTablet(env);
    await logIn(page, 'anna', '2580');
    await waitSynced(page);
    await page.evaluate(() => navigator.serviceWorker.ready);
    const kept = () => page.evaluate(() => Object.keys(localStorage).filter((k) => /^nv:(key|token|login):/.test(k)));
    assert.equal((await kept()).length, 3, 'a wrapped key, a sealed token and her login are kept');

    const said = adminCommand(env.database, 'disable-user', 'anna');
    assert.match(said, /anna \(Anna Holm\) disabled/);
    await page.evaluate(() => window.dispatchEvent(new Event('online')));
    await page.getByText('Din konto er lukket.').first().waitFor({ timeout: 10_000 });
    await page.locator('input[name=password]').waitFor();
    assert.equal(await page.getByText(CITIZEN).count(), 0);
    assert.deepEqual(await kept(), [], 'nothing that opens her data is left');

    // Offline, the right password opens nothing.
    await env.goOffline(tablet);
    await page.reload();
    await page.locator('input[name=username]').fill('anna');
    await page.locator('input[name=password]').fill('demo');
    await page.getByRole('button', { name: 'Log ind' }).click();
    await page.getByText('Ingen forbindelse. Første login kræver net.').waitFor();
    assert.equal(await page.getByText(CITIZEN).count(), 0);
    assert.deepEqual(errors, []);
  } finally {
    await env.close();
  }
});
