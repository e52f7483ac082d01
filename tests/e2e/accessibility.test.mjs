// Accessibility: axe-core with the WCAG 2.1 A and AA rules on every screen
// of the app, as a care worker, a coordinator and a citizen see them,
// Danish and English. Every violation is listed with its rule and element.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AxeBuilder } from '@axe-core/playwright';

import { scenario } from './lib/scenario.mjs';
import { PHONE, TABLET, loginInApp } from './lib/browser.mjs';

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

async function check(page, screen, found) {
  await page.waitForLoadState('networkidle');
  const result = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  for (const v of result.violations) {
    found.push(`${screen}: ${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
  }
}

test('every screen passes axe-core (WCAG 2.1 A/AA) with 0 violations', { timeout: 240_000 }, async () => {
  const env = await scenario();
  const found = [];
  try {
    const base = env.server.base;
    const tablet = await (await env.browser.newContext({ viewport: TABLET })).newPage();
    await tablet.goto(base + '/');
    await tablet.locator('input[name=username]').waitFor();
    await check(tablet, 'login', found);
    await loginInApp(tablet, base, 'anna');
    await check(tablet, 'visit list', found);
    await tablet.getByRole('link', { name: 'Kaj Andersen' }).first().click();
    await tablet.getByRole('link', { name: 'Skriv notat' }).waitFor();
    await check(tablet, 'citizen page', found);
    await tablet.getByRole('link', { name: 'Skriv notat' }).click();
    await tablet.locator('textarea[name=text]').waitFor();
    await check(tablet, 'note form', found);
    await tablet.goBack();
    await tablet.getByRole('link', { name: 'Brug klip' }).click();
    await tablet.locator('form').first().waitFor();
    await check(tablet, 'clip form', found);
    await tablet.goBack();
    await tablet.getByRole('link', { name: 'Registrér ensomhedstegn' }).click();
    await tablet.locator('form').first().waitFor();
    await check(tablet, 'loneliness form, step 1', found);
    await tablet.getByRole('button', { name: 'English' }).click();
    await check(tablet, 'loneliness form, step 1, English', found);
    await tablet.getByRole('button', { name: 'Dansk' }).click();

    const coordinator = await (await env.browser.newContext({ viewport: TABLET })).newPage();
    await loginInApp(coordinator, base, 'dorte');
    await coordinator.getByRole('link', { name: 'Oversigt' }).click();
    await coordinator.waitForURL(/oversigt/);
    await check(coordinator, 'overview', found);
    await coordinator.getByRole('link', { name: 'Aktiviteter' }).click();
    await coordinator.waitForURL(/aktiviteter/);
    await check(coordinator, 'catalogue', found);
    await coordinator.getByRole('link', { name: 'Teams' }).click();
    await coordinator.locator('select[name=worker] option').nth(1).waitFor({ state: 'attached' });
    await check(coordinator, 'teams', found);
    await coordinator.getByRole('link', { name: 'Konti' }).click();
    await coordinator.getByTestId('account-list').getByText('Bo Mikkelsen').waitFor();
    await check(coordinator, 'accounts', found);

    const citizen = await (await env.browser.newContext({ viewport: PHONE })).newPage();
    await loginInApp(citizen, base, 'else');
    await check(citizen, 'citizen calendar (phone)', found);

    assert.deepEqual(found, [], `axe-core violations:\n${found.join('\n')}`);
  } finally {
    await env.close();
  }
});
