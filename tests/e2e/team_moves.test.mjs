// A coordinator moves a citizen to another team on the Teams page: the old
// team's tablet forgets her (her name and notes leave it), the new team's
// tablet gets her with her history, and a note written there reaches the
// server once. Then a care worker is moved: their tablet shows the new
// team's citizens.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { notesOnServer } from './lib/server.mjs';
import { SHOTS, scenario } from './lib/scenario.mjs';
import { TABLET, loginInApp, syncNow, waitSynced, writeNote, unlock } from './lib/browser.mjs';

test('moving a citizen and a care worker between teams on the Teams page', { timeout: 240_000 }, async () => {
  const env = await scenario();
  try {
    const base = env.server.base;
    const open = async (user) => {
      const page = await (await env.browser.newContext({ viewport: TABLET })).newPage();
      await loginInApp(page, base, user);
      return page;
    };
    const [anna, carl, dorte] = [await open('anna'), await open('carl'), await open('dorte')];
    const errors = [];
    for (const p of [anna, carl, dorte]) p.on('pageerror', (e) => errors.push(e.message));

    // A note about Inger on anna's tablet (team Nord) before the move.
    await anna.getByRole('link', { name: 'Inger Nielsen' }).first().click();
    const before = `Før flytningen (${Date.now()})`;
    await writeNote(anna, before);
    await syncNow(anna);
    await anna.goto(base + '/');
    await unlock(anna);
    await waitSynced(anna);
    assert.ok(await anna.getByRole('link', { name: 'Inger Nielsen' }).count() > 0);
    assert.equal(await carl.getByRole('link', { name: 'Inger Nielsen' }).count(), 0);

    await dorte.getByRole('link', { name: 'Teams' }).click();
    const citizenForm = dorte.getByTestId('move-citizen');
    const inger = await citizenForm.locator('option', { hasText: 'Inger Nielsen' }).getAttribute('value');
    await citizenForm.locator('select[name=citizen]').selectOption(inger);
    await citizenForm.locator('input[name=citizen_team]').fill('Syd');
    await citizenForm.getByRole('button', { name: 'Flyt borgeren' }).click();
    await dorte.getByTestId('move-result').filter({ hasText: 'Inger Nielsen hører nu til team Syd.' }).waitFor();
    await dorte.screenshot({ path: SHOTS + 'teams-coordinator-tablet.png' });

    await syncNow(anna);
    await anna.waitForFunction(() => ![...document.querySelectorAll('a')].some((a) => a.textContent.includes('Inger Nielsen')));
    await syncNow(carl);
    await carl.getByRole('link', { name: 'Inger Nielsen' }).first().click();
    await carl.locator('article.revision', { hasText: before }).waitFor();
    const after = `Hos team Syd (${Date.now()})`;
    await writeNote(carl, after);
    await syncNow(carl);

    // bo moves from Nord to Syd: his tablet forgets Nord and fetches Syd.
    const bo = await open('bo');
    bo.on('pageerror', (e) => errors.push(e.message));
    assert.ok(await bo.getByRole('link', { name: 'Kaj Andersen' }).count() > 0, 'bo sees Nord');
    const workerForm = dorte.getByTestId('move-worker');
    await workerForm.locator('select[name=worker]').selectOption('bo');
    await workerForm.locator('input[name=worker_team]').fill('Syd');
    await workerForm.getByRole('button', { name: 'Flyt medarbejderen' }).click();
    await dorte.getByTestId('move-result').filter({ hasText: 'Bo Mikkelsen arbejder nu i team Syd.' }).waitFor();
    await syncNow(bo);
    await bo.getByTestId('recovery').filter({ hasText: 'Dit team er ændret' }).waitFor();
    await bo.getByRole('link', { name: 'Inger Nielsen' }).first().waitFor();
    assert.equal(await bo.getByRole('link', { name: 'Kaj Andersen' }).count(), 0, 'Nord forgotten');

    for (const text of [before, after]) {
      assert.equal(await notesOnServer(base, text), 1, text);
    }
    assert.deepEqual(errors, []);
  } finally {
    await env.close();
  }
});
