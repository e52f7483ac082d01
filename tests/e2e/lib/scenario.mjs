// One test's world: the real server on a free port with its own database, a
// Chromium, and "offline" made real (the browser offline and the server gone).
import { mkdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';

import { launch } from './browser.mjs';
import { freePort, startServer, tempDatabase } from './server.mjs';

export const SHOTS = new URL('../screenshots/', import.meta.url).pathname;

/** `args`: more server flags (e.g. the municipality-scale demo). */
export async function scenario({ args = [] } = {}) {
  mkdirSync(SHOTS, { recursive: true });
  const port = await freePort();
  const database = tempDatabase();
  const env = {
    server: await startServer({ port, database, args }),
    /** The server's SQLite file. */
    database,
    browser: await launch(),
    /** The tablet loses the network: the browser goes offline and the server stops. */
    async goOffline(context) {
      await context.setOffline(true);
      await env.server.stop();
    },
    /** Back online: the same server, database and address. */
    async goOnline(context) {
      env.server = await startServer({ port, database, args });
      await context.setOffline(false);
    },
    /** Stops the server and starts it again on the same database and address. */
    async restartServer() {
      await env.server.stop();
      env.server = await startServer({ port, database, args });
    },
    /** Stops both and removes the test's database folder. */
    async close() {
      await env.browser.close();
      await env.server.stop();
      rmSync(dirname(database), { recursive: true, force: true });
    },
  };
  return env;
}
