// Debian's Chromium driven by playwright-core (no downloaded browser).
import { chromium } from 'playwright-core';

export const TABLET = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** Logs in through the app's form and waits for the first sync to finish. */
export async function loginInApp(page, base, username) {
  await page.goto(base + '/');
  await page.locator('input[name=username]').fill(username);
  await page.locator('input[name=password]').fill('demo');
  await page.getByRole('button', { name: 'Log ind' }).click();
  await waitSynced(page);
}

export async function waitSynced(page, timeout = 30_000) {
  await page.locator('[data-testid=sync-state][data-state=synced]').waitFor({ timeout });
}

/** Writes a note from a citizen's page and waits for "Gemt på enheden." */
export async function writeNote(page, text) {
  await page.getByRole('link', { name: 'Skriv notat' }).click();
  await page.locator('textarea[name=text]').fill(text);
  await page.getByRole('button', { name: 'Gem' }).click();
  await page.getByText('Gemt på enheden.').waitFor();
}

/** Presses "Send nu" and waits until everything is sent. */
export async function syncNow(page) {
  await page.getByRole('button', { name: 'Send nu' }).click();
  await waitSynced(page);
}

export async function pendingCount(page) {
  return Number(await page.locator('[data-testid=pending-count]').getAttribute('data-count'));
}

/** Rows in each object store of every `naervaer-*` IndexedDB database of the page's origin. */
export async function deviceStoreCounts(page) {
  return page.evaluate(async () => {
    const counts = {};
    for (const { name } of await indexedDB.databases()) {
      if (!name.startsWith('naervaer-')) continue;
      const db = await new Promise((resolve, reject) => {
        const r = indexedDB.open(name);
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
      for (const store of db.objectStoreNames) {
        counts[`${name}/${store}`] = await new Promise((resolve) => {
          const r = db.transaction(store).objectStore(store).count();
          r.onsuccess = () => resolve(r.result);
        });
      }
      db.close();
    }
    return counts;
  });
}

/** Every start of the app is locked: gives the password and waits for the app. */
export async function unlock(page, password = 'demo') {
  await page.locator('input[name=password]').fill(password);
  await page.locator('form.login button[type=submit]').click();
  await page.locator('input[name=password]').waitFor({ state: 'detached', timeout: 20_000 });
}

/**
 * A tablet: a new browser context of tablet size with `windows` windows of
 * the app (Playwright's clock installed first when `clock`), and the page
 * errors of all of them.
 */
export async function openTablet(env, { windows = 1, clock = false } = {}) {
  const tablet = await env.browser.newContext({ viewport: TABLET });
  if (clock) await tablet.clock.install();
  const errors = [];
  const pages = [];
  for (let i = 0; i < windows; i++) {
    const page = await tablet.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(env.server.base + '/');
    pages.push(page);
  }
  return { tablet, pages, errors };
}
