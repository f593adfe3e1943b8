import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { signInFailed } from '../../server/auth/routes.ts';
import {
  authenticate,
  createUser,
  demoLogins,
  ensureDemoUsers,
  ensureFirstAdmin,
  setDisabled,
} from '../../server/auth/users.ts';
import { projectRoot, Warehouse } from '../../sql/warehouse.ts';
import {
  Browser,
  ManualClock,
  rolePasswords,
  startAuthTestServer,
  tempWarehouse,
  useAuthTestServer,
} from '../support/authApp.ts';
import { tempDir } from '../support/fixtureWarehouse.ts';
import { runCli, type CliResult } from '../support/runCli.ts';

// One app (tests/support/authApp.ts: installAuth plus dummy data routes) on loopback over a real
// DuckDB file. The clock is moved by hand for timeouts and the sign-in window.
const clock = new ManualClock();
const env = useAuthTestServer(clock);
const passwords = rolePasswords;

// Each browser comes from its own address (X-Forwarded-For, trusted from loopback), so one test's
// failed sign-ins never count against another's.
let nextAddress = 1;
function browser(headers: Record<string, string> = {}): Browser {
  nextAddress += 1;
  return new Browser(env.server.url, {
    'X-Forwarded-For': `10.0.${Math.floor(nextAddress / 250)}.${nextAddress % 250}`,
    ...headers,
  });
}

async function signedIn(role: keyof typeof passwords): Promise<Browser> {
  const b = browser();
  const reply = await b.signIn(role, passwords[role]);
  expect(reply.status).toBe(200);
  return b;
}

async function noteCount(): Promise<number> {
  const [row] = await env.store.warehouse.query<{ n: number }>('SELECT count(*)::INTEGER AS n FROM test_notes');
  return row?.n ?? 0;
}

describe('signing in', () => {
  it('refuses data to anyone not signed in, with a JSON 401', async () => {
    const b = browser();
    const reply = await b.get('/api/v1/figures');
    expect(reply.status).toBe(401);
    expect(reply.body).toEqual({ error: 'sign in first' });
    expect((await b.get('/api/v1/session')).body).toEqual({ signedIn: false });
  });

  it('signs in and says who I am, with a CSRF token, never a password', async () => {
    const b = browser();
    const reply = await b.signIn('Officer', passwords.officer);
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      signedIn: true,
      username: 'officer',
      role: 'officer',
      mustChangePassword: false,
      idleMinutes: 30,
    });
    expect(reply.body['csrfToken']).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(reply.text).not.toContain(passwords.officer);
    const me = await b.get('/api/v1/session');
    expect(me.body).toMatchObject({
      signedIn: true,
      username: 'officer',
      role: 'officer',
      csrfToken: reply.body['csrfToken'],
    });
  });

  it('answers a wrong password with one generic 401; past 5 failures each attempt waits, twice as long each time', async () => {
    const b = browser();
    for (let attempt = 1; attempt <= 5; attempt++) {
      const reply = await b.signIn('board', `wrong-${attempt}`);
      expect(reply.status).toBe(401);
      expect(reply.body).toEqual({ error: signInFailed });
    }
    // The 6th attempt from this address at this account waits 30 s (defaultThrottleLimits.baseDelayMs),
    // even with the right password: the wait is for the pair, not a verdict on the password.
    const sixth = await b.signIn('board', passwords.board);
    expect(sixth.status).toBe(429);
    expect(sixth.headers.get('retry-after')).toBe('30');
    expect(sixth.body).toEqual({ error: 'too many failed sign-ins; try again in 30 seconds' });
    expect(b.cookie).toBeUndefined();

    clock.advanceMinutes(0.5);
    expect((await b.signIn('board', 'wrong-6')).status).toBe(401);
    // 6 failures: 30 s × 2^(6 − 5) = 60 s from the last one.
    expect((await b.signIn('board', passwords.board)).headers.get('retry-after')).toBe('60');
    clock.advanceMinutes(1);
    expect((await b.signIn('board', passwords.board)).status).toBe(200);
  });

  it('never locks the real user out: guesses from another address slow only that address', async () => {
    // Issue 15: "Anyone can lock the admin out for 15 minutes".
    await createUser(env.store.warehouse, { username: 'target', role: 'officer', password: 'target-password-1' });
    const attacker = browser();
    for (let i = 0; i < 5; i++) expect((await attacker.signIn('target', `guess-${i}`)).status).toBe(401);
    expect((await attacker.signIn('target', 'guess')).status).toBe(429);
    expect((await browser().signIn('target', 'target-password-1')).status).toBe(200);
    clock.advanceMinutes(16);
  });

  it('slows guessing spread over many addresses or many accounts, but not pairs that signed in before', async () => {
    await createUser(env.store.warehouse, { username: 'spread', role: 'officer', password: 'spread-password-1' });
    const owner = browser();
    expect((await owner.signIn('spread', 'spread-password-1')).status).toBe(200);
    // 20 failures (broadFailures) at one account, each from a new address: a botnet's pattern.
    for (let i = 0; i < 20; i++) expect((await browser().signIn('spread', `guess-${i}`)).status).toBe(401);
    expect((await browser().signIn('spread', 'spread-password-1')).status).toBe(429);
    // The owner's address has signed in as this account before: not slowed by other addresses' failures.
    expect((await owner.signIn('spread', 'spread-password-1')).status).toBe(200);

    // One council address with colleagues behind it; someone there tries 20 made-up accounts.
    const office = { 'X-Forwarded-For': '10.9.9.9' };
    const colleague = browser(office);
    expect((await colleague.signIn('officer', passwords.officer)).status).toBe(200);
    const sprayer = browser(office);
    for (let i = 0; i < 20; i++) expect((await sprayer.signIn(`someone-${i}`, 'guess')).status).toBe(401);
    expect((await sprayer.signIn('someone-new', 'guess')).status).toBe(429);
    expect((await browser(office).signIn('officer', passwords.officer)).status).toBe(200);
    clock.advanceMinutes(16);
  });

  it('gives an unknown username the same answer as a wrong password', async () => {
    const reply = await browser().signIn('nobody-here', 'whatever-password');
    expect(reply.status).toBe(401);
    expect(reply.body).toEqual({ error: signInFailed });
  });

  it('refuses a disabled user, and ends a disabled user’s session at the next request', async () => {
    await createUser(env.store.warehouse, { username: 'leaver', role: 'officer', password: 'leaver-password-1' });
    const b = browser();
    expect((await b.signIn('leaver', 'leaver-password-1')).status).toBe(200);
    expect((await b.get('/api/v1/cases/neglect')).status).toBe(200);

    await setDisabled(env.store.warehouse, 'leaver', true);
    expect((await b.get('/api/v1/cases/neglect')).status).toBe(401);
    const again = await browser().signIn('leaver', 'leaver-password-1');
    expect(again.status).toBe(401);
    expect(again.body).toEqual({ error: signInFailed });
  });

  it('takes only JSON, from this origin', async () => {
    const b = browser();
    const form = await b.request('POST', '/api/v1/session', {
      json: 'username=officer&password=officer-password-1',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    expect(form.status).toBe(415);
    expect((await b.request('POST', '/api/v1/session', { json: '{"username": ' })).status).toBe(400);
    expect((await b.request('POST', '/api/v1/session', { json: { username: 'officer' } })).status).toBe(400);

    const crossSite = await b.signIn('officer', passwords.officer, { Origin: 'https://evil.example' });
    expect(crossSite.status).toBe(403);
    expect(b.cookie).toBeUndefined();
    const sameSite = await b.signIn('officer', passwords.officer, { Origin: env.server.url.replace(/\/$/, '') });
    expect(sameSite.status).toBe(200);
  });

  it('never promotes a session id the browser brought to sign-in', async () => {
    const b = browser();
    b.cookie = 'lscb_session=planted-by-someone-else';
    await b.signIn('officer', passwords.officer);
    expect(b.cookie).toMatch(/^lscb_session=[A-Za-z0-9_-]{43}$/);
    expect(b.cookie).not.toContain('planted');
  });
});

describe('roles', () => {
  it('gives a board member suppressed aggregates and refuses them case lists and identities with 403', async () => {
    const b = await signedIn('board');
    const figures = await b.get('/api/v1/figures');
    expect(figures.status).toBe(200);
    expect(figures.body['suppressed']).toBe(true);
    for (const path of ['/api/v1/cases/neglect', '/api/v1/children/11']) {
      const reply = await b.get(path);
      expect(reply.status).toBe(403);
      expect(reply.body['error']).toBe('this needs the officer role; you are signed in as board');
      expect(reply.text).not.toContain('child_key');
    }
  });

  it('lets an officer see unsuppressed figures, case lists and identities', async () => {
    const b = await signedIn('officer');
    expect((await b.get('/api/v1/figures')).body['suppressed']).toBe(false);
    const cases = await b.get('/api/v1/cases/neglect');
    expect(cases.status).toBe(200);
    expect(cases.body['rows']).toHaveLength(2);
    expect((await b.get('/api/v1/children/11')).body['la_child_id']).toBe('LA-0001');
  });

  it('lets an admin see everything an officer sees, and the access log', async () => {
    const b = await signedIn('admin');
    expect((await b.get('/api/v1/cases/neglect')).status).toBe(200);
    expect((await b.get('/api/v1/access-log')).status).toBe(200);
    expect((await (await signedIn('officer')).get('/api/v1/access-log')).status).toBe(403);
  });

  it('lets a user with a one-time password do nothing but change it', async () => {
    const created = await createUser(env.store.warehouse, { username: 'newcomer', role: 'officer' });
    expect(created.oneTime).toBe(true);
    const b = browser();
    const signIn = await b.signIn('newcomer', created.password);
    expect(signIn.body['mustChangePassword']).toBe(true);
    const refused = await b.get('/api/v1/cases/neglect');
    expect(refused.status).toBe(403);
    expect(refused.body['passwordChangeRequired']).toBe(true);

    const change = (currentPassword: string, newPassword: string) =>
      b.request('PUT', '/api/v1/session/password', { json: { currentPassword, newPassword } });
    expect((await change('not-it-at-all', 'a-long-new-password')).status).toBe(403);
    expect((await change(created.password, 'short')).status).toBe(400);
    const oldCookie = b.cookie;
    const changed = await change(created.password, 'a-long-new-password');
    expect(changed.status).toBe(200);
    expect(changed.body['mustChangePassword']).toBe(false);
    expect(b.cookie).not.toBe(oldCookie);
    expect((await b.get('/api/v1/cases/neglect')).status).toBe(200);
    expect(await authenticate(env.store.warehouse, 'newcomer', created.password)).toBeUndefined();
  });
});

describe('CSRF', () => {
  it('refuses a state-changing request without the token with 403, and nothing changes', async () => {
    const b = await signedIn('officer');
    const before = await noteCount();
    const missing = await b.request('POST', '/api/v1/notes', { json: { note: 'forged' }, withCsrf: false });
    expect(missing.status).toBe(403);
    expect(missing.body['error']).toContain('missing X-CSRF-Token header');
    const wrong = await b.request('POST', '/api/v1/notes', {
      json: { note: 'forged' },
      headers: { 'X-CSRF-Token': 'x'.repeat(43) },
    });
    expect(wrong.status).toBe(403);
    expect(wrong.body['error']).toContain('wrong X-CSRF-Token');
    const crossSite = await b.request('POST', '/api/v1/notes', {
      json: { note: 'forged' },
      headers: { Origin: 'https://evil.example' },
    });
    expect(crossSite.status).toBe(403);
    expect(await noteCount()).toBe(before);

    expect((await b.request('POST', '/api/v1/notes', { json: { note: 'genuine' } })).status).toBe(201);
    expect(await noteCount()).toBe(before + 1);
  });

  it('does not accept another session’s token', async () => {
    const mine = await signedIn('officer');
    const theirs = await signedIn('officer');
    const reply = await mine.request('POST', '/api/v1/notes', {
      json: { note: 'x' },
      headers: { 'X-CSRF-Token': theirs.csrfToken! },
    });
    expect(reply.status).toBe(403);
  });

  it('answers a state-changing request with no session 401', async () => {
    expect((await browser().request('POST', '/api/v1/notes', { json: { note: 'x' } })).status).toBe(401);
  });

  it('protects sign-out too', async () => {
    const b = await signedIn('officer');
    expect((await b.request('DELETE', '/api/v1/session', { withCsrf: false })).status).toBe(403);
    expect((await b.get('/api/v1/figures')).status).toBe(200);
  });
});

describe('sessions', () => {
  it('expires a session left idle longer than the idle timeout', async () => {
    const b = await signedIn('officer');
    clock.advanceMinutes(29);
    expect((await b.get('/api/v1/figures')).status).toBe(200);
    clock.advanceMinutes(29); // 58 minutes after sign-in, but only 29 idle
    expect((await b.get('/api/v1/figures')).status).toBe(200);
    clock.advanceMinutes(31);
    const expired = await b.get('/api/v1/figures');
    expect(expired.status).toBe(401);
    expect(b.lastSetCookie.join()).toMatch(/lscb_session=;.*Expires=Thu, 01 Jan 1970/);
  });

  it('ends even a busy session 12 hours after sign-in', async () => {
    const b = await signedIn('officer');
    for (let minutes = 25; minutes < 12 * 60; minutes += 25) {
      clock.advanceMinutes(25);
      expect((await b.get('/api/v1/figures')).status).toBe(200);
    }
    clock.advanceMinutes(25);
    expect((await b.get('/api/v1/figures')).status).toBe(401);
  });

  it('ends the session at sign-out', async () => {
    const b = await signedIn('officer');
    const cookie = b.cookie;
    const out = await b.signOut();
    expect(out.status).toBe(204);
    expect(b.lastSetCookie.join()).toMatch(/lscb_session=;/);
    expect((await b.get('/api/v1/session')).body).toEqual({ signedIn: false });
    b.cookie = cookie; // a copy of the old cookie is worthless too
    expect((await b.get('/api/v1/figures')).status).toBe(401);
  });

  it('honours a configured idle timeout', async () => {
    const quick = await startAuthTestServer(env.store.warehouse, { clock: clock.now, idleMinutes: 0.5 });
    try {
      const b = new Browser(quick.url);
      expect((await b.signIn('officer', passwords.officer)).body['idleMinutes']).toBe(0.5);
      clock.advanceMinutes(0.4);
      expect((await b.get('/api/v1/figures')).status).toBe(200);
      clock.advanceMinutes(0.6);
      expect((await b.get('/api/v1/figures')).status).toBe(401);
    } finally {
      await quick.close();
    }
  });
});

describe('the session cookie', () => {
  const attributes = (setCookie: string[]) => {
    const line = setCookie.find((l) => l.startsWith('lscb_session=')) ?? '';
    return line
      .split(';')
      .slice(1)
      .map((a) => a.trim().toLowerCase());
  };

  it('is HttpOnly, SameSite=Strict, Path=/, ends with the browser, and is not Secure over plain HTTP', async () => {
    const b = browser();
    await b.signIn('officer', passwords.officer);
    const flags = attributes(b.lastSetCookie);
    expect(flags).toEqual(expect.arrayContaining(['httponly', 'samesite=strict', 'path=/']));
    expect(flags).not.toContain('secure');
    expect(flags.some((f) => f.startsWith('max-age') || f.startsWith('expires'))).toBe(false);
  });

  it('is Secure when a trusted proxy says the browser used TLS (X-Forwarded-Proto: https)', async () => {
    const b = browser({ 'X-Forwarded-Proto': 'https' });
    await b.signIn('officer', passwords.officer);
    expect(attributes(b.lastSetCookie)).toEqual(expect.arrayContaining(['secure', 'httponly', 'samesite=strict']));
  });

  it('ignores X-Forwarded-Proto when no proxy is trusted', async () => {
    const untrusting = await startAuthTestServer(env.store.warehouse, { clock: clock.now, trustProxy: false });
    try {
      const b = new Browser(untrusting.url, { 'X-Forwarded-Proto': 'https' });
      await b.signIn('officer', passwords.officer);
      expect(attributes(b.lastSetCookie)).not.toContain('secure');
    } finally {
      await untrusting.close();
    }
  });
});

describe('first admin and demo users', () => {
  it('creates a first admin with a one-time password only when there are no users', async () => {
    const empty = await tempWarehouse();
    try {
      const password = await ensureFirstAdmin(empty.warehouse);
      expect(password).toMatch(/^[A-Za-z0-9]{5}(-[A-Za-z0-9]{5}){3}$/);
      expect(await authenticate(empty.warehouse, 'admin', password!)).toEqual({
        username: 'admin',
        role: 'admin',
        mustChangePassword: true,
      });
      expect(await ensureFirstAdmin(empty.warehouse)).toBeUndefined();
    } finally {
      empty.dispose();
    }
  });

  it('creates the documented demo logins, and a demo server offers them', async () => {
    const demo = await tempWarehouse();
    const demoServer = await startAuthTestServer(demo.warehouse, { demo: true });
    try {
      expect(await ensureDemoUsers(demo.warehouse)).toEqual(['board', 'lead', 'officer', 'admin']);
      expect(await ensureDemoUsers(demo.warehouse)).toEqual([]);
      expect(await ensureFirstAdmin(demo.warehouse)).toBeUndefined();
      const b = new Browser(demoServer.url);
      expect((await b.get('/api/v1/session')).body).toEqual({ signedIn: false, demo: true, demoLogins });
      const board = demoLogins.find((l) => l.role === 'board')!;
      expect(board.password).toBe('demo-board');
      expect((await b.signIn(board.username, board.password)).body).toMatchObject({
        role: 'board',
        mustChangePassword: false,
      });
    } finally {
      await demoServer.close();
      demo.dispose();
    }
  });
});

/** `lscb ARGS` with text on standard input (runCli gives the child none). */
function runCliWithInput(args: string[], input: string): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [resolve(projectRoot, 'bin/lscb.js'), ...args], {
      cwd: projectRoot,
      env: { ...process.env, NO_COLOR: '1' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (status) => resolvePromise({ status, stdout, stderr }));
    child.stdin.end(input);
  });
}

describe('lscb users (a separate process)', () => {
  it('adds, lists and disables users without ever printing or storing a password in clear', async () => {
    const dir = tempDir('users-cli');
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const dbPath = join(dir, 'lscb.duckdb');
    (await Warehouse.open(dbPath)).close();
    const db = ['--db', dbPath];

    const added = await runCli(['users', 'add', 'Jo.Bloggs', '--role', 'officer', ...db]);
    expect(added.stderr).toBe('');
    expect(added.status).toBe(0);
    const oneTime = /^\s{4}(\S+)$/m.exec(added.stdout)?.[1];
    expect(oneTime).toMatch(/^[A-Za-z0-9]{5}(-[A-Za-z0-9]{5}){3}$/);

    const chosen = 'a chosen passphrase for sam';
    const piped = await runCliWithInput(
      ['users', 'add', 'sam', '--role', 'board', '--password-stdin', ...db],
      `${chosen}\n`,
    );
    expect(piped.status).toBe(0);
    expect(piped.stdout).not.toContain(chosen);

    const duplicate = await runCli(['users', 'add', 'sam', '--role', 'admin', ...db]);
    expect(duplicate.status).toBe(2);
    expect(duplicate.stderr).toContain("a user named 'sam' already exists");
    const badRole = await runCli(['users', 'add', 'kim', '--role', 'superuser', ...db]);
    expect(badRole.status).toBe(2);
    expect(badRole.stderr).toContain('--role must be one of board, lead, officer, admin');

    expect((await runCli(['users', 'disable', 'jo.bloggs', ...db])).status).toBe(0);
    const listed = await runCli(['users', 'list', '--json', ...db]);
    expect(listed.status).toBe(0);
    const users = JSON.parse(listed.stdout) as Record<string, unknown>[];
    expect(
      users.map(({ username, role, status, must_change_password }) => ({
        username,
        role,
        status,
        must_change_password,
      })),
    ).toEqual([
      { username: 'jo.bloggs', role: 'officer', status: 'disabled', must_change_password: true },
      { username: 'sam', role: 'board', status: 'active', must_change_password: false },
    ]);
    const table = await runCli(['users', 'list', ...db]);
    for (const output of [listed.stdout, table.stdout]) {
      expect(output).not.toMatch(/scrypt|password_hash/);
      expect(output).not.toContain(oneTime!);
      expect(output).not.toContain(chosen);
    }

    // The warehouse file holds hashes that work, and neither password in clear.
    for (const file of [dbPath, `${dbPath}.wal`].filter(existsSync)) {
      const bytes = readFileSync(file);
      expect(bytes.includes(oneTime!)).toBe(false);
      expect(bytes.includes(chosen)).toBe(false);
    }
    const warehouse = await Warehouse.open(dbPath, { readOnly: true });
    try {
      const rows = await warehouse.query<{ password_hash: string }>('SELECT password_hash FROM users');
      for (const row of rows)
        expect(row.password_hash).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
      expect(await authenticate(warehouse, 'sam', chosen)).toMatchObject({ role: 'board' });
      expect(await authenticate(warehouse, 'jo.bloggs', oneTime!)).toBeUndefined(); // disabled
    } finally {
      warehouse.close();
    }
  });
});
