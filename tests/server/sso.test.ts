import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ssoSettings, type SsoSettings } from '../../server/auth/ssoSettings.ts';
import { createApp } from '../../server/app.ts';
import { listen } from '../../server/listen.ts';
import { Warehouse } from '../../sql/warehouse.ts';
import { tempDir } from '../support/fixtureWarehouse.ts';

/**
 * Issue 15, "Single sign-on": the whole authorization code flow against a real OpenID provider
 * (oidc-provider, in a process of its own: tests/support/oidcProviderProcess.ts) on loopback. The test plays the browser: it follows every redirect between the
 * app and the provider, keeping each one's cookies.
 */
interface Person {
  sub: string;
  preferred_username: string;
  groups: string[];
}
/** When set, the proxy in front of the provider rewrites the ID token's groups without re-signing it. */
let tamper = false;

let warehouse: Warehouse;
let app: { server: Server; url: string };
let providerProcess: ChildProcess;
let providerUrl: string;
let proxy: Server;
let issuer: string;

async function listening(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

function base64urlJson(part: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
}

beforeAll(async () => {
  const dir = tempDir('sso');
  warehouse = await Warehouse.open(join(dir, 'sso.duckdb'));
  // The provider's public address is the proxy's, so the issuer is known before the provider exists.
  proxy = createServer();
  const proxyPort = await listening(proxy);
  issuer = `http://127.0.0.1:${proxyPort}`;

  const settings = ssoSettings(
    {
      issuer,
      client_id: 'lscb-insight',
      client_secret_env: 'TEST_SSO_SECRET',
      redirect_uri: 'http://127.0.0.1:1/api/v1/sso/callback', // replaced below, once the app has a port
      label: 'Sign in with Northbury Council',
      role_groups: { board: ['grp-board'], lead: ['grp-strategy'], officer: ['grp-performance'], admin: ['grp-it'] },
    },
    { TEST_SSO_SECRET: 'a-test-client-secret' },
  )!;
  const placeholder: SsoSettings = { ...settings };
  app = await listen(createApp({ warehouse, auth: { sso: placeholder } }), '127.0.0.1', 0);
  placeholder.redirectUri = new URL('/api/v1/sso/callback', app.url);

  // The provider runs as a process of its own; the proxy in this process is its public address.
  providerProcess = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(import.meta.dirname, '../support/oidcProviderProcess.ts'),
      issuer,
      placeholder.redirectUri.href,
    ],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const providerPort = await new Promise<number>((resolve, reject) => {
    let out = '';
    providerProcess.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const port = /listening (\d+)/.exec(out)?.[1];
      if (port) resolve(Number(port));
    });
    providerProcess.on('exit', (code) => reject(new Error(`the OpenID provider exited (${code}) before listening`)));
  });
  providerUrl = `http://127.0.0.1:${providerPort}`;

  proxy.on('request', (req, res) => {
    const upstream = request(
      { host: '127.0.0.1', port: providerPort, path: req.url, method: req.method, headers: req.headers },
      (reply) => {
        if (!(tamper && req.url?.startsWith('/token'))) {
          res.writeHead(reply.statusCode ?? 502, reply.headers);
          reply.pipe(res);
          return;
        }
        const chunks: Buffer[] = [];
        reply.on('data', (chunk: Buffer) => chunks.push(chunk));
        reply.on('end', () => {
          const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id_token: string };
          const [header, payload, signature] = body.id_token.split('.') as [string, string, string];
          const claims = { ...base64urlJson(payload), groups: ['grp-it'] };
          body.id_token = [header, Buffer.from(JSON.stringify(claims)).toString('base64url'), signature].join('.');
          const { 'content-length': _length, ...headers } = reply.headers;
          res.writeHead(reply.statusCode ?? 502, headers);
          res.end(JSON.stringify(body));
        });
      },
    );
    req.pipe(upstream);
  });
});

afterAll(async () => {
  providerProcess.kill();
  for (const server of [app.server, proxy]) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  warehouse.close();
});

/** A browser: follows redirects by hand, keeping cookies per host and port. */
class Browser {
  private readonly jars = new Map<string, Map<string, string>>();

  private jar(url: URL): Map<string, string> {
    let jar = this.jars.get(url.host);
    if (!jar) this.jars.set(url.host, (jar = new Map()));
    return jar;
  }

  async get(start: string): Promise<{ url: URL; status: number; text: string }> {
    let url = new URL(start);
    for (let hop = 0; hop < 20; hop++) {
      const jar = this.jar(url);
      const cookie = [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
      const response = await fetch(url, { redirect: 'manual', headers: cookie ? { Cookie: cookie } : {} });
      for (const line of response.headers.getSetCookie()) {
        const [pair, ...attributes] = line.split(';');
        const eq = pair!.indexOf('=');
        const name = pair!.slice(0, eq).trim();
        const value = pair!.slice(eq + 1).trim();
        const expired = attributes.some((a) => /^\s*max-age=0/i.test(a) || /^\s*expires=Thu, 01 Jan 1970/i.test(a));
        if (expired || value === '') jar.delete(name);
        else jar.set(name, value);
      }
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location) {
        url = new URL(location, url);
        continue;
      }
      return { url, status: response.status, text: await response.text() };
    }
    throw new Error('too many redirects');
  }

  async session(): Promise<Record<string, unknown>> {
    return JSON.parse((await this.get(new URL('/api/v1/session', app.url).href)).text) as Record<string, unknown>;
  }
}

async function signInThroughProvider(
  who: Person,
): Promise<{ browser: Browser; landed: { url: URL; status: number; text: string } }> {
  const told = await fetch(`${providerUrl}/test/person`, { method: 'POST', body: JSON.stringify(who) });
  expect(told.status).toBe(204);
  const browser = new Browser();
  const landed = await browser.get(new URL('/api/v1/sso/start', app.url).href);
  return { browser, landed };
}

async function lastLogRow(path: string): Promise<Record<string, unknown> | undefined> {
  const rows = await warehouse.query(
    `SELECT username, role, status, sensitivity FROM access_log WHERE path = $path ORDER BY id DESC LIMIT 1`,
    { path },
  );
  return rows[0];
}

describe('single sign-on through an OpenID Connect provider', () => {
  it('offers the provider on the sign-in page', async () => {
    const reply = await new Browser().get(new URL('/api/v1/session', app.url).href);
    expect(JSON.parse(reply.text)).toMatchObject({
      signedIn: false,
      sso: { label: 'Sign in with Northbury Council', start: '/api/v1/sso/start' },
    });
  });

  it('signs a person in with the role their group maps to, and logs it', async () => {
    const { browser, landed } = await signInThroughProvider({
      sub: 'entra-1',
      preferred_username: 'Jo.Bloggs@northbury.gov.uk',
      groups: ['grp-unrelated', 'grp-performance'],
    });
    expect(landed.url.href).toBe(new URL('/', app.url).href);
    expect(await browser.session()).toMatchObject({
      signedIn: true,
      username: 'jo.bloggs@northbury.gov.uk',
      role: 'officer',
    });
    expect(await lastLogRow('/api/v1/sso/callback')).toEqual({
      username: 'jo.bloggs@northbury.gov.uk',
      role: 'officer',
      status: 303,
      sensitivity: 'admin',
    });
  });

  it("takes the highest role the person's groups give, and the strategy lead's role", async () => {
    const both = await signInThroughProvider({
      sub: 'entra-2',
      preferred_username: 'sam@northbury.gov.uk',
      groups: ['grp-board', 'grp-it'],
    });
    expect(await both.browser.session()).toMatchObject({ role: 'admin' });
    const lead = await signInThroughProvider({
      sub: 'entra-3',
      preferred_username: 'lee@northbury.gov.uk',
      groups: ['grp-strategy'],
    });
    expect(await lead.browser.session()).toMatchObject({ role: 'lead' });
  });

  it('refuses a person in no mapped group, and logs the refusal with their name', async () => {
    const { browser, landed } = await signInThroughProvider({
      sub: 'entra-4',
      preferred_username: 'visitor@northbury.gov.uk',
      groups: ['grp-housing'],
    });
    expect(landed.status).toBe(403);
    expect(landed.text).toContain('visitor@northbury.gov.uk is in none of the groups that give access to LSCB Insight');
    expect(await browser.session()).toMatchObject({ signedIn: false });
    expect(await lastLogRow('/api/v1/sso/callback')).toEqual({
      username: 'visitor@northbury.gov.uk',
      role: null,
      status: 403,
      sensitivity: 'admin',
    });
    const [row] = await warehouse.query<{ n: number }>(
      `SELECT count(*)::INTEGER AS n FROM users WHERE username = 'visitor@northbury.gov.uk'`,
    );
    expect(row!.n).toBe(0);
  });

  it('refuses an ID token changed on the way (groups rewritten to the admins’), signing nobody in', async () => {
    tamper = true;
    try {
      const { browser, landed } = await signInThroughProvider({
        sub: 'entra-5',
        preferred_username: 'mallory@northbury.gov.uk',
        groups: ['grp-board'],
      });
      expect(landed.status).toBe(403);
      expect(landed.text).toContain("The identity provider's answer could not be verified");
      expect(await browser.session()).toMatchObject({ signedIn: false });
      expect(await lastLogRow('/api/v1/sso/callback')).toEqual({
        username: null,
        role: null,
        status: 403,
        sensitivity: 'admin',
      });
    } finally {
      tamper = false;
    }
  });

  it('refuses a callback the browser did not start here (no state cookie)', async () => {
    const reply = await new Browser().get(new URL('/api/v1/sso/callback?code=abc&state=forged', app.url).href);
    expect(reply.status).toBe(400);
    expect(reply.text).toContain('This sign-in was not started here');
  });
});

describe('single sign-on settings', () => {
  const valid = {
    issuer: 'https://login.microsoftonline.com/tenant/v2.0',
    client_id: 'x',
    redirect_uri: 'https://insight.example.gov.uk/api/v1/sso/callback',
    role_groups: { board: ['g1'] },
  };

  it('needs https away from loopback, a known role for each group list, and a secret that is set', () => {
    expect(ssoSettings(valid)?.usernameClaim).toBe('preferred_username');
    expect(() => ssoSettings({ ...valid, issuer: 'http://idp.example.com' })).toThrow(
      'sso."issuer" must be an https:// URL',
    );
    expect(() => ssoSettings({ ...valid, role_groups: { chair: ['g1'] } })).toThrow('"chair" is not a role');
    expect(() => ssoSettings({ ...valid, role_groups: {} })).toThrow('nobody could sign in');
    expect(() => ssoSettings({ ...valid, client_secret_env: 'LSCB_SSO_SECRET' }, {})).toThrow(
      'LSCB_SSO_SECRET (the client secret) is not set',
    );
    expect(() => ssoSettings({ ...valid, clientid: 'typo' })).toThrow('unknown key "clientid"');
    expect(ssoSettings(undefined)).toBeUndefined();
  });
});
