// The coordinator's accounts page: a new care worker is added and logs in
// on her own tablet; an account is closed in two taps and its tablet is
// refused at once; a new password replaces the old one. Every state of the
// page passes axe-core.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AxeBuilder } from '@axe-core/playwright';

import { scenario } from './lib/scenario.mjs';
import { TABLET, loginInApp, waitSynced } from './lib/browser.mjs';
import { PROTOCOL, apiLogin } from './lib/server.mjs';

async function accessible(page, screen) {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  assert.deepEqual(result.violations.map((v) => `${screen}: ${v.id}: ${v.help}`), []);
}

async function syncStatus(base, token) {
  const r = await fetch(`${base}/api/v1/sync`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ protocol: PROTOCOL, client_id: crypto.randomUUID() }),
  });
  return [r.status, (await r.json()).error?.code];
}

test('a coordinator adds a care worker, closes an account in two taps, and gives a new password', { timeout: 120_000 }, async () => {
  const env = await scenario();
  try {
    const desk = await env.browser.newContext({ viewport: TABLET });
    const page = await desk.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await loginInApp(page, env.server.base, 'dorte');
    await page.getByRole('link', { name: 'Konti' }).click();
    const list = page.getByTestId('account-list');
    await list.getByText('Bo Mikkelsen').waitFor();
    await accessible(page, 'accounts');

    // A new care worker in team Syd, with a first password.
    const form = page.getByTestId('add-account');
    await form.getByLabel('Navn', { exact: true }).fill('Fie Friis');
    await form.getByLabel('Brugernavn').fill('fie');
    await form.getByLabel('Team').fill('Syd');
    await form.getByLabel('Første adgangskode').fill('kort');
    await form.getByRole('button', { name: 'Opret konto' }).click();
    await page.getByText('En adgangskode skal have mindst 10 tegn.').waitFor();
    await form.getByLabel('Første adgangskode').fill('lang-nok-kode');
    await form.getByRole('button', { name: 'Opret konto' }).click();
    await page.getByText('Fie Friis er oprettet med brugernavnet fie.').waitFor();
    await list.getByText('Fie Friis').waitFor();
    const fie = await env.browser.newContext({ viewport: TABLET });
    const tablet = await fie.newPage();
    await tablet.goto(env.server.base + '/');
    await tablet.locator('input[name=username]').fill('fie');
    await tablet.locator('input[name=password]').fill('lang-nok-kode');
    await tablet.getByRole('button', { name: 'Log ind' }).click();
    await waitSynced(tablet);
    await fie.close();

    // Closing Bo's account takes two taps; his token is refused at once.
    const bo = await apiLogin(env.server.base, 'bo');
    const row = list.getByTestId('account').filter({ hasText: 'Bo Mikkelsen' });
    await row.getByRole('button', { name: 'Luk konto' }).click();
    assert.deepEqual(await syncStatus(env.server.base, bo), [200, undefined], 'one tap closes nothing');
    await accessible(page, 'accounts, confirming a close');
    await row.getByRole('button', { name: 'Ja, luk kontoen' }).click();
    await page.getByText('Bo Mikkelsens konto er lukket.').waitFor();
    assert.deepEqual(await syncStatus(env.server.base, bo), [401, 'account_disabled']);
    await list.getByTestId('account').filter({ hasText: 'Bo Mikkelsen' }).getByText('Lukket').waitFor();
    // Her own account has no close button.
    const own = list.getByTestId('account').filter({ hasText: 'Dorte' });
    assert.equal(await own.getByRole('button', { name: 'Luk konto' }).count(), 0);

    // A new password for Anna.
    const anna = list.getByTestId('account').filter({ hasText: 'Anna Holm' });
    await anna.getByRole('button', { name: 'Ny adgangskode' }).click();
    await anna.getByRole('textbox', { name: 'Ny adgangskode' }).fill('nyt-kodeord-42');
    await accessible(page, 'accounts, a new password');
    await anna.getByRole('button', { name: 'Gem adgangskode' }).click();
    await page.getByText('Anna Holm har fået en ny adgangskode.').waitFor();
    const old = await fetch(`${env.server.base}/api/v1/session`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'anna', password: 'demo' }),
    });
    assert.equal(old.status, 401);
    assert.deepEqual(errors, []);
  } finally {
    await env.close();
  }
});
