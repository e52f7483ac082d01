// Benchmark (prints figures; asserts only what must hold, not times): the
// first install on a slow line, and an offline start with the small demo.
// First install: a fresh browser profile (empty cache) under Chromium's
// "Slow 4G" conditions (1.6 Mbps down, 750 Kbps up, 150 ms round trip, CPU
// four times slower) from typing the address to the login form.
// Offline start: the app already installed, no network, from the address to
// the visit list.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { scenario } from './lib/scenario.mjs';
import { TABLET, loginInApp, unlock } from './lib/browser.mjs';

const SLOW_4G = {
  offline: false,
  latency: 150,
  downloadThroughput: (1.6 * 1000 * 1000) / 8,
  uploadThroughput: (750 * 1000) / 8,
};

test('benchmark: first install on Slow 4G, and an offline start', { timeout: 300_000 }, async () => {
  const env = await scenario();
  try {
    const installs = [];
    const downloads = [];
    for (let i = 0; i < 3; i++) {
      const context = await env.browser.newContext({ viewport: TABLET });
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.setCacheDisabled', { cacheDisabled: false });
      await cdp.send('Network.emulateNetworkConditions', SLOW_4G);
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
      let bytes = 0;
      const encodings = new Set();
      cdp.on('Network.loadingFinished', (e) => { bytes += e.encodedDataLength; });
      cdp.on('Network.responseReceived', (e) => {
        if (e.response.url.endsWith('.wasm')) encodings.add(e.response.headers['content-encoding'] ?? 'none');
      });
      const t0 = Date.now();
      await page.goto(env.server.base + '/');
      await page.locator('input[name=username]').waitFor({ timeout: 60_000 });
      installs.push(Date.now() - t0);
      downloads.push(Math.round(bytes / 1024));
      assert.deepEqual([...encodings], ['br'], 'the wasm comes brotli-compressed');
      await context.close();
    }
    console.log(`benchmark: first install on Slow 4G (1.6 Mbps, 150 ms, CPU x4), empty cache to the login form: ${installs.join(', ')} ms (goal under 3000 ms); ${downloads.join(', ')} KB over the wire`);

    const context = await env.browser.newContext({ viewport: TABLET });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await loginInApp(page, env.server.base, 'anna');
    await page.evaluate(() => navigator.serviceWorker.ready);
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 15_000 });
    await env.goOffline(context);
    const starts = [];
    const lockShown = [];
    for (let i = 0; i < 5; i++) {
      const t0 = Date.now();
      await page.goto(env.server.base + '/');
      await page.locator('input[name=password]').waitFor({ timeout: 30_000 });
      lockShown.push(Date.now() - t0);
      const t1 = Date.now();
      await unlock(page);
      await page.locator('[data-testid=visit-list] li').first().waitFor({ timeout: 30_000 });
      starts.push(Date.now() - t1);
    }
    const records = await page.evaluate(() => performance.getEntriesByName('naervaer:load').length);
    assert.ok(records > 0, 'the device was read');
    console.log(`benchmark: offline start to the unlock form (small demo): ${lockShown.join(', ')} ms; password given to the visit list (PBKDF2 600,000 and opening the sealed store): ${starts.join(', ')} ms (goal under 300 ms)`);
    assert.deepEqual(errors, []);
  } finally {
    await env.close();
  }
});
