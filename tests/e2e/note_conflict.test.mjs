// Two tablets edit the same note offline; both versions are kept and shown,
// and a person merges them into one revision that replaces both.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { apiLogin, apiPullAll } from './lib/server.mjs';
import { SHOTS, scenario } from './lib/scenario.mjs';
import { TABLET, loginInApp, waitSynced } from './lib/browser.mjs';

async function openInger(page) {
  await page.getByRole('link', { name: 'Inger Nielsen' }).first().click();
}

async function editNote(page, from, to) {
  const revision = page.locator('article.revision', { hasText: from });
  await revision.getByRole('link', { name: 'Ret' }).click();
  await page.locator('textarea[name=text]').fill(to);
  await page.getByRole('button', { name: 'Gem' }).click();
  await page.getByText('Gemt på enheden.').waitFor();
}

async function syncNow(page) {
  await page.getByRole('button', { name: 'Send nu' }).click();
  await waitSynced(page);
}

test('a note edited on two tablets offline is shown in conflict and merged into one', { timeout: 240_000 }, async () => {
  const env = await scenario();
  const { browser } = env;
  try {
    const stamp = Date.now();
    const start = `Inger vil gerne med til spisecafé (${stamp})`;
    const annas = `Inger vil gerne med til spisecafé om torsdagen (${stamp})`;
    const bos = `Inger vil gerne med, men kun med følgeskab (${stamp})`;
    const merged = `Inger vil gerne med til spisecafé om torsdagen, med følgeskab (${stamp})`;

    const annaContext = await browser.newContext({ viewport: TABLET });
    const anna = await annaContext.newPage();
    const errors = [];
    anna.on('pageerror', (e) => errors.push(e.message));
    await loginInApp(anna, env.server.base, 'anna');
    await openInger(anna);
    await anna.getByRole('link', { name: 'Skriv notat' }).click();
    await anna.locator('textarea[name=text]').fill(start);
    await anna.getByRole('button', { name: 'Gem' }).click();
    await anna.getByText('Gemt på enheden.').waitFor();
    await waitSynced(anna);

    const boContext = await browser.newContext({ viewport: TABLET });
    const bo = await boContext.newPage();
    bo.on('pageerror', (e) => errors.push(e.message));
    await loginInApp(bo, env.server.base, 'bo');
    await openInger(bo);
    await bo.locator('article.revision', { hasText: start }).waitFor();

    // Both tablets lose the network and each edits the same revision.
    await boContext.setOffline(true);
    await env.goOffline(annaContext);
    await editNote(anna, start, annas);
    await editNote(bo, start, bos);

    await env.goOnline(annaContext);
    await boContext.setOffline(false);
    await syncNow(bo);
    await syncNow(anna);

    // Anna sees both versions, marked, and nothing is lost.
    const conflict = anna.locator('li.note.conflict');
    await conflict.waitFor();
    await conflict.locator('article.revision', { hasText: annas }).waitFor();
    await conflict.locator('article.revision', { hasText: bos }).waitFor();
    await conflict.getByText('To udgaver').waitFor();

    // She merges them: both texts side by side, one new text.
    await conflict.getByRole('link', { name: 'Flet til én udgave' }).click();
    const versions = anna.getByTestId('merge-versions');
    await versions.getByText(annas).waitFor();
    await versions.getByText(bos).waitFor();
    const proposed = await anna.locator('textarea[name=text]').inputValue();
    assert.ok(proposed.includes(annas) && proposed.includes(bos), proposed);
    await anna.screenshot({ path: SHOTS + 'note-merge-tablet.png' });
    await anna.locator('textarea[name=text]').fill(merged);
    await anna.getByRole('button', { name: 'Gem' }).click();
    await anna.getByText('Gemt på enheden.').waitFor();
    await waitSynced(anna);
    await anna.locator('article.revision', { hasText: merged }).waitFor();
    assert.equal(await anna.locator('li.note.conflict').count(), 0);

    // On the server: one revision replacing both heads; all four kept.
    const dorte = await apiLogin(env.server.base, 'dorte');
    const revisions = (await apiPullAll(env.server.base, dorte))
      .filter((c) => c.record.kind === 'note' && c.record.data.text.includes(`(${stamp})`))
      .map((c) => c.record.data);
    assert.equal(revisions.length, 4);
    const merge = revisions.find((n) => n.text === merged);
    const heads = revisions.filter((n) => n.text === annas || n.text === bos).map((n) => n.id).sort();
    assert.deepEqual([...merge.replaces].sort(), heads);

    // Bo's tablet follows: one version, no conflict.
    await syncNow(bo);
    await bo.locator('article.revision', { hasText: merged }).waitFor();
    assert.equal(await bo.locator('li.note.conflict').count(), 0);
    assert.deepEqual(errors, []);
  } finally {
    await env.close();
  }
});
