// Starts the real naervaer-server on 127.0.0.1 with a temporary SQLite file
// and the built app. It stops itself after --stop-after even if a test dies.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SERVER = process.env.NAERVAER_SERVER ?? '../../target/debug/naervaer-server';
const DIST = process.env.NAERVAER_DIST ?? '../../dist';

export async function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

export function tempDatabase() {
  return join(mkdtempSync(join(tmpdir(), 'naervaer-e2e-')), 'e2e.sqlite3');
}

/** Starts the server; resolves once it listens. */
export async function startServer({ port, database, args = [] }) {
  const child = spawn(SERVER, [
    '--listen', `127.0.0.1:${port}`, '--database', database, '--static-dir', DIST,
    '--demo', '--stop-after', '900', ...args,
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stderr.on('data', (d) => { log += d; });
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${log}`)), 180_000);
    child.stdout.on('data', (d) => {
      log += d;
      if (log.includes('listening on')) { clearTimeout(timer); resolve(); }
    });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited ${code}:\n${log}`)); });
  });
  return {
    base: `http://127.0.0.1:${port}`,
    async stop() {
      // A process stopped by a signal has no exit code, only a signal code.
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Logs in through the API; returns the token. */
export async function apiLogin(base, username) {
  const r = await fetch(`${base}/api/v1/session`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: 'demo' }),
  });
  if (!r.ok) throw new Error(`login ${username}: ${r.status}`);
  return (await r.json()).token;
}

/** The sync protocol these helpers speak (as the app does). */
export const PROTOCOL = 2;

/** How many distinct notes with this text the server has (seen as dorte). */
export async function notesOnServer(base, text) {
  const token = await apiLogin(base, 'dorte');
  const ids = (await apiPullAll(base, token))
    .filter((c) => c.record.kind === 'note' && c.record.data.text === text)
    .map((c) => c.record.data.id);
  return new Set(ids).size;
}

/** Every change this user may see, all pages, with a fresh client id. */
export async function apiPullAll(base, token) {
  const clientId = crypto.randomUUID();
  let cursor = 0;
  let cursorTag = 0;
  const all = [];
  for (;;) {
    const r = await fetch(`${base}/api/v1/sync`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ protocol: PROTOCOL, client_id: clientId, cursor, cursor_tag: cursorTag, limit: 500 }),
    });
    if (!r.ok) throw new Error(`sync: ${r.status} ${await r.text()}`);
    const page = await r.json();
    all.push(...page.changes);
    cursor = page.next_cursor;
    cursorTag = page.cursor_tag;
    if (!page.more) return all;
  }
}

/** Runs an administrative command of the server on `database` (e.g. `disable-user anna`). */
export function adminCommand(database, ...args) {
  return execFileSync(SERVER, ['--database', database, 'admin', ...args], { encoding: 'utf8' });
}
