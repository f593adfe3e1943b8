import express, { type NextFunction, type Request, type Response } from 'express';
import { afterAll, beforeAll } from 'vitest';
import type { Server } from 'node:http';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { installAuth, type AuthGuards, type AuthOptions } from '../../server/auth/index.ts';
import { createUser } from '../../server/auth/users.ts';
import { listen } from '../../server/listen.ts';
import { Warehouse } from '../../sql/warehouse.ts';
import { tempDir } from './fixtureWarehouse.ts';

/** A clock the tests move by hand, so timeouts are tested without sleeping. */
export class ManualClock {
  constructor(public ms = Date.UTC(2025, 4, 1, 9, 0, 0)) {}
  readonly now = () => this.ms;
  advanceMinutes(minutes: number): void {
    this.ms += minutes * 60_000;
  }
}

/** A real DuckDB file in a temp folder, with the schema (users, access_log) applied. */
export async function tempWarehouse(): Promise<{ warehouse: Warehouse; dbPath: string; dispose(): void }> {
  const dir = tempDir('auth');
  const dbPath = join(dir, 'lscb.duckdb');
  const warehouse = await Warehouse.open(dbPath);
  await warehouse.query('CREATE TABLE IF NOT EXISTS test_notes (note VARCHAR)');
  return {
    warehouse,
    dbPath,
    dispose() {
      warehouse.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** One user per role, with these passwords, for tests that sign in as each. */
export const rolePasswords = {
  board: 'board-password-1',
  officer: 'officer-password-1',
  admin: 'admin-password-1',
} as const;

export async function createRoleUsers(warehouse: Warehouse): Promise<void> {
  for (const role of ['board', 'officer', 'admin'] as const) {
    await createUser(warehouse, { username: role, role, password: rolePasswords[role] });
  }
}

/**
 * The suite both auth test files use: a temp warehouse with one user per role and the auth app on
 * loopback, started before the file's tests and stopped after them.
 */
export function useAuthTestServer(clock: ManualClock): {
  store: Awaited<ReturnType<typeof tempWarehouse>>;
  server: AuthTestServer;
} {
  const env = {} as { store: Awaited<ReturnType<typeof tempWarehouse>>; server: AuthTestServer };
  beforeAll(async () => {
    env.store = await tempWarehouse();
    await createRoleUsers(env.store.warehouse);
    env.server = await startAuthTestServer(env.store.warehouse, { clock: clock.now });
  });
  afterAll(async () => {
    await env.server.close();
    env.store.dispose();
  });
  return env;
}

export interface AuthTestServer {
  url: string;
  guards: AuthGuards;
  close(): Promise<void>;
}

/**
 * Not the product's app: a minimal Express app with installAuth and dummy data routes of each
 * sensitivity, so these tests do not depend on how the lead wires the real routes.
 */
export async function startAuthTestServer(
  warehouse: Warehouse,
  options: AuthOptions & { trustProxy?: boolean } = {},
): Promise<AuthTestServer> {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  if (options.trustProxy ?? true) app.set('trust proxy', 'loopback');
  const guards = installAuth(app, warehouse, options);
  const { requireUser, requireRole, markSensitivity, isBoardOutput } = guards;

  app.get('/api/v1/figures', requireUser, (req, res) => {
    res.locals.rowsReturned = 3;
    res.json({ suppressed: isBoardOutput(req), rows: [{ q: 1 }, { q: 2 }, { q: 3 }] });
  });
  app.get('/api/v1/cases/:cohort', markSensitivity('case_list'), requireRole('officer'), (req, res) => {
    res.locals.rowsReturned = 2;
    res.json({ cohort: req.params['cohort'], rows: [{ child_key: 11 }, { child_key: 12 }] });
  });
  app.get('/api/v1/children/:childKey', markSensitivity('identity'), requireRole('officer'), (req, res) => {
    res.locals.rowsReturned = 1;
    res.json({ child_key: Number(req.params['childKey']), la_child_id: 'LA-0001' });
  });
  app.post('/api/v1/notes', requireRole('officer'), express.json(), async (req, res) => {
    await warehouse.query('INSERT INTO test_notes VALUES ($note)', {
      note: String((req.body as { note?: unknown }).note),
    });
    res.locals.rowsReturned = 0;
    res.status(201).json({ saved: true });
  });
  app.use('/api', (_req, res) => {
    res.status(404).json({ error: 'no such API endpoint' });
  });
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    console.error(err);
    res.status(500).json({ error: 'internal error' });
  });

  const { server, url } = await listen(app, '127.0.0.1', 0);
  return { url, guards, close: () => closeServer(server) };
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}

export interface Reply {
  status: number;
  body: Record<string, unknown>;
  headers: Headers;
  text: string;
}

/** One browser: keeps the session cookie and CSRF token between requests. */
export class Browser {
  cookie: string | undefined;
  csrfToken: string | undefined;
  lastSetCookie: string[] = [];

  constructor(
    private readonly baseUrl: string,
    private readonly defaultHeaders: Record<string, string> = {},
  ) {}

  async request(
    method: string,
    path: string,
    options: { json?: unknown; headers?: Record<string, string>; withCsrf?: boolean } = {},
  ): Promise<Reply> {
    const headers: Record<string, string> = { ...this.defaultHeaders, ...options.headers };
    if (this.cookie) headers['Cookie'] = this.cookie;
    if (options.json !== undefined) headers['Content-Type'] ??= 'application/json';
    if ((options.withCsrf ?? true) && this.csrfToken) headers['X-CSRF-Token'] ??= this.csrfToken;
    const response = await fetch(new URL(path, this.baseUrl), {
      method,
      headers,
      body:
        options.json === undefined
          ? undefined
          : typeof options.json === 'string'
            ? options.json
            : JSON.stringify(options.json),
    });
    this.lastSetCookie = response.headers.getSetCookie();
    for (const line of this.lastSetCookie) {
      const [pair] = line.split(';');
      const [name, value] = (pair ?? '').split('=');
      if (name !== 'lscb_session') continue;
      this.cookie = value ? `${name}=${value}` : undefined;
    }
    const text = await response.text();
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      // not JSON (CSV, empty 204)
    }
    if (typeof body['csrfToken'] === 'string') this.csrfToken = body['csrfToken'];
    return { status: response.status, body, headers: response.headers, text };
  }

  get(path: string, headers?: Record<string, string>): Promise<Reply> {
    return this.request('GET', path, { headers });
  }

  signIn(username: string, password: string, headers?: Record<string, string>): Promise<Reply> {
    return this.request('POST', '/api/v1/session', { json: { username, password }, headers });
  }

  signOut(): Promise<Reply> {
    return this.request('DELETE', '/api/v1/session');
  }
}
