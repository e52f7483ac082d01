// The language: Danish first; "English" in the header switches every text,
// the choice stays after a reload, and "Dansk" switches back; a message on
// screen is re-worded when the language changes.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { scenario } from './lib/scenario.mjs';
import { TABLET, loginInApp, unlock } from './lib/browser.mjs';

test('english on request, kept after a reload, and back to danish', { timeout: 120_000 }, async () => {
  const env = await scenario();
  try {
    const context = await env.browser.newContext({ viewport: TABLET });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await loginInApp(page, env.server.base, 'anna');
    await page.getByRole('heading', { name: 'I dag' }).waitFor();
    assert.equal(await page.locator('html').getAttribute('lang'), 'da');

    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Today' }).waitFor();
    await page.getByRole('button', { name: 'Send now' }).waitFor();
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');

    await page.reload();
    await unlock(page);
    await page.getByRole('heading', { name: 'Today' }).waitFor();
    await page.getByRole('link', { name: 'Inger Nielsen' }).first().click();
    await page.getByRole('link', { name: 'Write note' }).click();
    await page.getByLabel('Topic').waitFor();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Write something in the note first.').waitFor();

    await page.getByRole('button', { name: 'Dansk' }).click();
    await page.getByLabel('Emne').waitFor();
    assert.equal(await page.locator('html').getAttribute('lang'), 'da');
    // A message already on screen follows the language: it is kept as a
    // value and worded when shown, not stored as text.
    await page.getByText('Skriv noget i notatet først.').waitFor();
    await page.getByLabel('Notat').fill('Drak kaffe på altanen.');
    await page.getByRole('button', { name: 'Gem' }).click();
    await page.getByText('Gemt på enheden.').waitFor();
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByText('Saved on this device.').waitFor();
    assert.equal(await page.getByText('Gemt på enheden.').count(), 0);
    assert.deepEqual(errors, []);
  } finally {
    await env.close();
  }
});
