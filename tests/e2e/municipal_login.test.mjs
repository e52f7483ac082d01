// Logging in with the municipality's login: the real OpenID provider
// (npm oidc-provider) on 127.0.0.1, Debian's Chromium, the real server.
// The care worker presses "Log ind med kommunens login", signs in at the
// provider, comes back, chooses the code that opens the tablet offline,
// and works; offline the code opens it. Attacks against the same provider:
// a made-up state, the provider's answer replayed, its used code with a new
// login's state, and a person the provider knows but Nærvær does not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';

import { TABLET, launch, waitSynced } from './lib/browser.mjs';
import { freePort, startServer, tempDatabase } from './lib/server.mjs';
import { HttpBrowser, signInAtIdp, startIdp } from './lib/idp.mjs';

const CITIZEN = 'Inger Nielsen';

async function world(extraArgs = []) {
  const dir = mkdtempSync(join(tmpdir(), 'naervaer-oidc-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const idp = await startIdp({ port: await freePort(), serverBase: base, dir });
  const database = tempDatabase();
  const args = [...idp.serverArgs, ...extraArgs];
  const env = {
    base,
    idp,
    server: await startServer({ port, database, args }),
    browser: await launch(),
    async close() {
      await env.browser.close();
      await env.server.stop();
      await idp.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return env;
}

async function accessible(page, screen) {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  assert.deepEqual(result.violations.map((v) => `${screen}: ${v.id}: ${v.help}`), []);
}

/** Presses the municipal login and signs in at the provider as `login`. */
async function municipalLogin(page, base, login) {
  await page.goto(base + '/');
  await page.getByTestId('municipal-login').click();
  await signInAtIdp(page, login);
}

test('a care worker logs in with the municipal login, chooses a device code, and it opens the tablet offline', { timeout: 180_000 }, async () => {
  const env = await world(['--no-password-login']);
  try {
    const tablet = await env.browser.newContext({ viewport: TABLET });
    const page = await tablet.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(env.base + '/');
    const button = page.getByTestId('municipal-login');
    await button.waitFor();
    assert.equal(await button.textContent(), 'Log ind med kommunens login');
    await accessible(page, 'login with the municipal button');
    await button.click();
    await signInAtIdp(page, 'anna');
    // Back in the app: the handoff code is gone from the address at once.
    const form = page.getByTestId('device-code');
    await form.waitFor({ timeout: 20_000 });
    assert.equal(new URL(page.url()).search, '', 'no code left in the address');
    await page.getByText('Du er logget ind som Anna Holm.').waitFor();
    await accessible(page, 'choose a device code');
    // Too short a code is refused in words, and nothing opens.
    await page.locator('input[name=device-code]').fill('kort');
    await page.getByRole('button', { name: 'Fortsæt' }).click();
    await page.getByText('Koden skal have mindst 8 tegn.').waitFor();
    await page.locator('input[name=device-code]').fill('tablet-kode-42');
    await page.locator('input[name=pin]').fill('2580');
    await page.getByRole('button', { name: 'Fortsæt' }).click();
    await waitSynced(page);
    await page.getByRole('link', { name: CITIZEN }).first().waitFor();

    // Local passwords are off: "demo" opens nothing, online.
    const r = await fetch(`${env.base}/api/v1/session`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'anna', password: 'demo' }),
    });
    assert.equal(r.status, 403);

    // Offline, a new start is locked, and the device code opens it.
    await tablet.setOffline(true);
    await env.server.stop();
    await page.reload();
    await page.locator('input[name=username]').fill('anna');
    await page.locator('input[name=password]').fill('tablet-kode-42');
    await page.getByRole('button', { name: 'Log ind' }).click();
    await page.getByRole('link', { name: CITIZEN }).first().waitFor({ timeout: 20_000 });
    assert.deepEqual(errors, []);
  } finally {
    await env.close();
  }
});

test('the real provider\'s answer cannot be forged, replayed or reused, and an unknown person is told why', { timeout: 180_000 }, async () => {
  const env = await world();
  try {
    // Over HTTP, with the real provider's own pages and cookies.
    const browser = new HttpBrowser();
    const withParam = (url, name, value) => { const u = new URL(url); u.searchParams.set(name, value); return u.toString(); };
    const answer = await browser.providerAnswer(env.base, 'anna');
    // A state nobody began.
    assert.equal(await browser.back(withParam(answer, 'state', 'made-up')), '/?login_error=bad_state');
    // The answer in another browser (a link an attacker sends on): no, and
    // it stays for the browser it was meant for, which logs in, once.
    assert.equal(await new HttpBrowser().back(answer), '/?login_error=bad_state');
    assert.match(await browser.back(answer), /^\/\?handoff=[0-9a-f]{64}$/);
    assert.equal(await browser.back(answer), '/?login_error=bad_state', 'the same answer again');
    // The used code with a new login's state: the provider refuses it.
    const next = await browser.providerAnswer(env.base, 'anna');
    const used = new URL(answer).searchParams.get('code');
    assert.notEqual(new URL(next).searchParams.get('code'), used);
    assert.equal(await browser.back(withParam(next, 'code', used)), '/?login_error=code_refused');

    // Someone the provider knows and Nærvær does not, in Chromium.
    const stranger = await env.browser.newContext({ viewport: TABLET });
    const other = await stranger.newPage();
    await municipalLogin(other, env.base, 'ukendt@koege.dk');
    await other.getByText('Kommunens login kender dig, men du har ingen konto i Nærvær. Kontakt din koordinator.').waitFor({ timeout: 20_000 });
    assert.equal(new URL(other.url()).search, '');
    await accessible(other, 'login after an unknown person');
    await stranger.close();
  } finally {
    await env.close();
  }
});
