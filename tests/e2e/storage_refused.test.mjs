// The device refuses to store: the care worker is told in plain Danish,
// nothing is reported saved that is not, the note is kept in the app and
// written as soon as storage takes it, then sent once.
//
// Chromium's own quota override (CDP Storage.overrideQuotaForOrigin) had no
// effect in Debian's Chromium here (navigator.storage.estimate() kept the
// full quota and a 1 MB write committed), so a full disk is made at the
// IndexedDB API instead: while switched on, writes throw the browser's own
// QuotaExceededError, as a full origin does.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { notesOnServer } from './lib/server.mjs';
import { SHOTS, scenario } from './lib/scenario.mjs';
import { TABLET, loginInApp, pendingCount, waitSynced } from './lib/browser.mjs';

// A tablet whose pages run `initScript` first; `errors` collects the
// page's uncaught errors.
async function tabletWith(env, initScript) {
  const tablet = await env.browser.newContext({ viewport: TABLET });
  await tablet.addInitScript(initScript);
  const page = await tablet.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return { page, errors };
}

function fullDiskSwitch() {
  window.__deviceFull = false;
  for (const method of ['add', 'put']) {
    const original = IDBObjectStore.prototype[method];
    IDBObjectStore.prototype[method] = function (...args) {
      if (window.__deviceFull) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return original.apply(this, args);
    };
  }
}

test('a full device: the note is kept, the user told, and it is saved and sent once there is room', { timeout: 180_000 }, async () => {
  const env = await scenario();
  try {
    const { page, errors } = await tabletWith(env, fullDiskSwitch);
    await loginInApp(page, env.server.base, 'anna');
    // The browser did not promise to keep the data: the header says so.
    await page.getByTestId('persist-warning').waitFor();

    await page.getByRole('link', { name: 'Inger Nielsen' }).first().click();
    await page.getByRole('link', { name: 'Skriv notat' }).click();
    await page.evaluate(() => { window.__deviceFull = true; });

    const text = `Skrevet da enheden var fuld (${Date.now()})`;
    await page.locator('textarea[name=text]').fill(text);
    await page.getByRole('button', { name: 'Gem' }).click();
    const alert = page.getByText('Enhedens lager er fuldt.');
    await alert.waitFor();
    assert.ok((await alert.textContent()).includes('Luk ikke appen'), 'says what happens to the note');
    assert.equal(await page.getByText('Gemt på enheden.').count(), 0, 'not reported saved');
    assert.equal(await page.locator('textarea[name=text]').inputValue(), text, 'the text is still in the form');
    assert.equal(await pendingCount(page), 1, 'shown as waiting');
    await page.screenshot({ path: SHOTS + 'storage-full-tablet.png' });

    // Room again: the kept note is written within the retry interval, then sent.
    await page.evaluate(() => { window.__deviceFull = false; });
    await page.waitForFunction(() => document.querySelector('[data-testid=pending-count]')?.dataset.count === '0', null, { timeout: 20_000 });
    await waitSynced(page);

    assert.equal(await notesOnServer(env.server.base, text), 1, 'sent exactly once');
    assert.deepEqual(errors, []);
  } finally {
    await env.close();
  }
});

test('a private window without IndexedDB: the user is told, and nothing is called saved', { timeout: 120_000 }, async () => {
  const env = await scenario();
  try {
    const { page, errors } = await tabletWith(env, () => {
      Object.defineProperty(window, 'indexedDB', { get: () => undefined });
    });
    await page.goto(env.server.base + '/');
    await page.locator('input[name=username]').fill('anna');
    await page.locator('input[name=password]').fill('demo');
    await page.getByRole('button', { name: 'Log ind' }).click();
    await page.getByText('Enhedens lager kan ikke bruges (privat vindue, eller lager slået fra).').first().waitFor();
    assert.equal(await page.getByText('Gemt på enheden.').count(), 0);
    assert.deepEqual(errors, []);
  } finally {
    await env.close();
  }
});

// The browser aborts the save's transaction at commit, after every request
// in it succeeded (how Chromium reports a full disk when it writes the
// transaction out): nothing may be called saved that did not commit.
function abortAtCommitSwitch() {
  window.__abortAtCommit = false;
  for (const method of ['add', 'put']) {
    const original = IDBObjectStore.prototype[method];
    IDBObjectStore.prototype[method] = function (...args) {
      const request = original.apply(this, args);
      (this.transaction.__requests ||= []).push(request);
      return request;
    };
  }
  const commit = IDBTransaction.prototype.commit;
  IDBTransaction.prototype.commit = function () {
    const tx = this;
    const writes = tx.mode === 'readwrite' && [...tx.objectStoreNames].includes('outbox');
    if (!(window.__abortAtCommit && writes)) return commit.apply(tx);
    // Once every write of the transaction has succeeded, it is aborted
    // instead of committed.
    const requests = tx.__requests || [];
    let left = requests.filter((r) => r.readyState !== 'done').length;
    if (left === 0) { tx.abort(); return; }
    for (const r of requests) {
      r.addEventListener('success', () => { left -= 1; if (left === 0) tx.abort(); });
    }
  };
}

test('a save whose transaction is aborted at commit is not called saved; it is kept and sent once', { timeout: 180_000 }, async () => {
  const env = await scenario();
  try {
    const { page, errors } = await tabletWith(env, abortAtCommitSwitch);
    await loginInApp(page, env.server.base, 'anna');
    await page.getByRole('link', { name: 'Inger Nielsen' }).first().click();
    await page.getByRole('link', { name: 'Skriv notat' }).click();
    await page.evaluate(() => { window.__abortAtCommit = true; });

    const text = `Afbrudt ved commit (${Date.now()})`;
    await page.locator('textarea[name=text]').fill(text);
    await page.getByRole('button', { name: 'Gem' }).click();
    await page.getByText('Kunne ikke gemme på enheden').first().waitFor();
    assert.equal(await page.getByText('Gemt på enheden.').count(), 0, 'not reported saved');
    assert.equal(await page.locator('textarea[name=text]').inputValue(), text, 'the text is still in the form');
    assert.equal(await pendingCount(page), 1, 'shown as waiting');
    const stored = await page.evaluate(async () => {
      const dbs = await indexedDB.databases();
      const name = dbs.map((d) => d.name).find((n) => n.startsWith('naervaer-'));
      const db = await new Promise((resolve, reject) => {
        const r = indexedDB.open(name);
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
      const count = await new Promise((resolve) => {
        const r = db.transaction('outbox').objectStore('outbox').count();
        r.onsuccess = () => resolve(r.result);
      });
      db.close();
      return count;
    });
    assert.equal(stored, 0, 'the aborted transaction left nothing in the outbox');

    await page.evaluate(() => { window.__abortAtCommit = false; });
    await page.waitForFunction(() => document.querySelector('[data-testid=pending-count]')?.dataset.count === '0', null, { timeout: 20_000 });
    await waitSynced(page);
    assert.equal(await notesOnServer(env.server.base, text), 1, 'sent exactly once');
    assert.deepEqual(errors, []);
  } finally {
    await env.close();
  }
});
