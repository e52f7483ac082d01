// The server's database is put back to a backup (SQLite's online backup, as
// the README says to take one), with two tablets that had synced past it:
// what was settled after the backup reaches the restored server again,
// once; a note written after the restore is sent; the other tablet, whose
// cursor was past the backup, still gets everything; the header says what
// happened in plain Danish.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';

import { notesOnServer } from './lib/server.mjs';
import { SHOTS, scenario } from './lib/scenario.mjs';
import { TABLET, loginInApp, syncNow, writeNote } from './lib/browser.mjs';

/** SQLite's online backup of the running server's file (a consistent copy). */
function onlineBackup(database, copy) {
  execFileSync('python3', ['-c',
    'import sqlite3, sys\n'
    + 'live = sqlite3.connect(sys.argv[1]); copy = sqlite3.connect(sys.argv[2])\n'
    + 'live.backup(copy); copy.close(); live.close()',
    database, copy]);
}

test('a database restored from a backup: nothing settled after it is lost or doubled, and tablets go on by themselves', { timeout: 300_000 }, async () => {
  const env = await scenario();
  try {
    const base = env.server.base;
    const annaTablet = await env.browser.newContext({ viewport: TABLET });
    const boTablet = await env.browser.newContext({ viewport: TABLET });
    const anna = await annaTablet.newPage();
    const bo = await boTablet.newPage();
    const errors = [];
    for (const p of [anna, bo]) p.on('pageerror', (e) => errors.push(e.message));
    await loginInApp(anna, base, 'anna');
    await loginInApp(bo, base, 'bo');
    for (const p of [anna, bo]) {
      await p.getByRole('link', { name: 'Inger Nielsen' }).first().click();
      await p.getByRole('link', { name: 'Skriv notat' }).waitFor();
    }
    const stamp = Date.now();
    const before = `Før backup (${stamp})`;
    const after = `Efter backup (${stamp})`;
    const restored = `Efter gendannelse (${stamp})`;

    await writeNote(anna, before);
    await syncNow(anna);
    const backup = join(dirname(env.database), 'backup.sqlite3');
    onlineBackup(env.database, backup);

    await writeNote(anna, after);
    await syncNow(anna);
    await syncNow(bo);
    await bo.locator('article.revision', { hasText: after }).waitFor();

    // The database goes back to the backup; the server starts on it.
    await env.server.stop();
    for (const suffix of ['', '-wal', '-shm']) rmSync(env.database + suffix, { force: true });
    copyFileSync(backup, env.database);
    await env.restartServer();

    await writeNote(anna, restored);
    await syncNow(anna);
    await anna.getByTestId('recovery').waitFor();
    const told = await anna.getByTestId('recovery').textContent();
    assert.ok(told.includes('sikkerhedskopi') && told.includes('Intet er tabt'), told);
    await anna.screenshot({ path: SHOTS + 'restored-server-tablet.png' });
    // A moment later, as the app would: nothing more happens.
    await syncNow(anna);

    await syncNow(bo);
    for (const text of [before, after, restored]) {
      await bo.locator('article.revision', { hasText: text }).waitFor({ timeout: 10_000 });
    }

    for (const text of [before, after, restored]) {
      assert.equal(await notesOnServer(base, text), 1, `${text} on the server once`);
    }
    assert.deepEqual(errors, []);
  } finally {
    await env.close();
  }
});
