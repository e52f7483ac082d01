// A real OpenID Connect provider for the tests: the certified npm
// `oidc-provider`, on 127.0.0.1, with its development login pages (any
// login name, any password) and one client, the Nærvær server. The login
// name becomes the ID token's `preferred_username`.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Provider from 'oidc-provider';

export const CLIENT_ID = 'naervaer';
const CLIENT_SECRET = 'e2e-hemmelighed-der-kun-bruges-her';

/**
 * Starts the provider on `port` for a Nærvær server at `serverBase`; writes
 * the client secret into `dir` for the server's --oidc-client-secret-file.
 */
export async function startIdp({ port, serverBase, dir }) {
  const issuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, {
    clients: [{
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      redirect_uris: [`${serverBase}/api/v1/oidc/callback`],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    }],
    // The login name is the account's name in Nærvær.
    async findAccount(_ctx, id) {
      return { accountId: id, async claims() { return { sub: id, preferred_username: id, name: id }; } };
    },
    claims: { openid: ['sub'], profile: ['preferred_username', 'name'] },
    // The scope's claims go into the ID token (Nærvær reads the user from it).
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: true } },
    cookies: { keys: ['e2e-cookie-key'] },
  });
  // Quiet: its development warnings are expected here.
  provider.on('server_error', (_ctx, e) => console.error('oidc-provider:', e));
  const server = provider.listen(port, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const secretFile = join(dir, 'oidc-client-secret');
  writeFileSync(secretFile, `${CLIENT_SECRET}\n`, { mode: 0o600 });
  return {
    issuer,
    /** The Nærvær server's flags for this provider. */
    serverArgs: [
      '--public-url', serverBase,
      '--oidc-issuer', issuer,
      '--oidc-client-id', CLIENT_ID,
      '--oidc-client-secret-file', secretFile,
    ],
    async stop() {
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** At the provider's pages: logs in as `login` and agrees to share. */
export async function signInAtIdp(page, login) {
  await page.locator('input[name=login]').fill(login);
  await page.locator('input[name=password]').fill('any password');
  await page.getByRole('button', { name: 'Sign-in' }).click();
  const consent = page.getByRole('button', { name: 'Continue' });
  await consent.click({ timeout: 10_000 });
}

/** A browser over plain HTTP: cookies kept per host, no redirects followed. */
export class HttpBrowser {
  constructor() { this.jar = new Map(); }

  cookies(url) {
    const host = new URL(url).host;
    const jar = this.jar.get(host) ?? new Map();
    return [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  keep(url, response) {
    const host = new URL(url).host;
    const jar = this.jar.get(host) ?? new Map();
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair.indexOf('=');
      jar.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
    }
    this.jar.set(host, jar);
  }

  async request(url, { method = 'GET', form } = {}) {
    const headers = { cookie: this.cookies(url) };
    let body;
    if (form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(form).toString();
    }
    const response = await fetch(url, { method, headers, body, redirect: 'manual' });
    this.keep(url, response);
    return response;
  }

  /** Follows redirects until one points at `stopAt`; returns that URL. */
  async followUntil(url, stopAt, login) {
    for (let hops = 0; hops < 20; hops++) {
      if (url.startsWith(stopAt)) return url;
      const response = await this.request(url);
      const location = response.headers.get('location');
      if (location) { url = new URL(location, url).toString(); continue; }
      // A page of the provider's: its form, answered.
      const html = await response.text();
      const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
      const prompt = /name="prompt" value="([^"]+)"/.exec(html)?.[1];
      if (!action || !prompt) throw new Error(`no form at ${url}: ${response.status}`);
      const form = prompt === 'login' ? { prompt, login, password: 'any password' } : { prompt };
      const posted = await this.request(new URL(action, url).toString(), { method: 'POST', form });
      const next = posted.headers.get('location');
      if (!next) throw new Error(`the form at ${url} answered ${posted.status}`);
      url = new URL(next, url).toString();
    }
    throw new Error('too many redirects');
  }

  /**
   * Begins a municipal login at `base` and signs in at the provider as
   * `login`; returns the URL the provider sends the browser back to.
   */
  async providerAnswer(base, login) {
    const start = await this.request(`${base}/api/v1/oidc/start`);
    const authorize = start.headers.get('location');
    if (start.status !== 303 || !authorize) throw new Error(`start: ${start.status}`);
    return this.followUntil(authorize, `${base}/api/v1/oidc/callback`, login);
  }

  /** Where the server sends the browser after the provider's answer `url`. */
  async back(url) {
    const response = await this.request(url);
    if (response.status !== 303) throw new Error(`callback: ${response.status}`);
    return response.headers.get('location');
  }
}
