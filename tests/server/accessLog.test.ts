import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { AccessLogRow } from '../../server/accessLog.ts';
import { accessLogCsv } from '../../server/routes/accessLog.ts';
import { projectRoot } from '../../sql/warehouse.ts';
import { Browser, ManualClock, rolePasswords, useAuthTestServer } from '../support/authApp.ts';

// The access log as an auditor sees it: tests/support/authApp.ts has dummy routes of each
// sensitivity (figures: aggregate, cases: case_list, children: identity).
const clock = new ManualClock(Date.UTC(2025, 5, 2, 10, 30, 0, 250));
const env = useAuthTestServer(clock);
const passwords = rolePasswords;

async function signedIn(role: keyof typeof passwords): Promise<Browser> {
  const b = new Browser(env.server.url);
  expect((await b.signIn(role, passwords[role])).status).toBe(200);
  return b;
}

interface LoggedRow {
  id: number;
  logged_at: string;
  username: string | null;
  role: string | null;
  client_ip: string;
  method: string;
  path: string;
  params: string;
  status: number;
  rows_returned: number | null;
  sensitivity: string;
}

async function logRows(): Promise<LoggedRow[]> {
  const rows = await env.store.warehouse.query<LoggedRow & { id: string }>(
    `SELECT id, strftime(logged_at, '%Y-%m-%dT%H:%M:%S.%gZ') AS logged_at, username, role, client_ip, method, path, params,
            status, rows_returned, sensitivity
     FROM access_log ORDER BY id`,
  );
  return rows.map((r) => ({ ...r, id: Number(r.id) }));
}

/** The rows a piece of work added to the log. */
async function rowsAddedBy(work: () => Promise<unknown>): Promise<LoggedRow[]> {
  const before = (await logRows()).length;
  await work();
  return (await logRows()).slice(before);
}

describe('what the access log records', () => {
  it('leaves exactly one row per data request: who, role, when, endpoint, parameters, status, rows and sensitivity', async () => {
    const officer = await signedIn('officer');
    const added = await rowsAddedBy(async () => {
      expect((await officer.get('/api/v1/cases/neglect?from=2025-01-01&to=2025-03-31')).status).toBe(200);
      expect((await officer.get('/api/v1/figures?from=2025-01-01&to=2025-03-31')).status).toBe(200);
      expect((await officer.get('/api/v1/children/11')).status).toBe(200);
    });
    expect(added).toHaveLength(3);
    expect(added[0]).toMatchObject({
      logged_at: '2025-06-02T10:30:00.250Z',
      username: 'officer',
      role: 'officer',
      client_ip: '127.0.0.1',
      method: 'GET',
      path: '/api/v1/cases/neglect',
      status: 200,
      rows_returned: 2,
      sensitivity: 'case_list',
    });
    expect(JSON.parse(added[0]!.params)).toEqual({
      query: { from: '2025-01-01', to: '2025-03-31' },
      route: { cohort: 'neglect' },
    });
    expect(added[1]).toMatchObject({ path: '/api/v1/figures', rows_returned: 3, sensitivity: 'aggregate' });
    expect(added[2]).toMatchObject({ path: '/api/v1/children/11', rows_returned: 1, sensitivity: 'identity' });
    expect(JSON.parse(added[2]!.params)).toEqual({ query: {}, route: { childKey: '11' } });
  });

  it('logs a path spelt in capitals, which Express routes all the same', async () => {
    const officer = await signedIn('officer');
    const added = await rowsAddedBy(async () => {
      expect((await officer.get('/API/V1/Cases/neglect')).status).toBe(200);
    });
    expect(added).toHaveLength(1);
    expect(added[0]).toMatchObject({ path: '/API/V1/Cases/neglect', sensitivity: 'case_list', rows_returned: 2 });
  });

  it('records one row per request even when many arrive at once', async () => {
    const officer = await signedIn('officer');
    const added = await rowsAddedBy(() =>
      Promise.all(Array.from({ length: 25 }, (_, i) => officer.get(`/api/v1/figures?n=${i}`))),
    );
    expect(added).toHaveLength(25);
    expect(new Set(added.map((r) => JSON.parse(r.params).query.n)).size).toBe(25);
  });

  it('records refused attempts, with what was asked for', async () => {
    const board = await signedIn('board');
    const added = await rowsAddedBy(async () => {
      expect((await new Browser(env.server.url).get('/api/v1/cases/neglect')).status).toBe(401);
      expect((await board.get('/api/v1/children/12')).status).toBe(403);
      expect((await board.get('/api/v1/no-such-thing')).status).toBe(404);
    });
    expect(
      added.map(({ username, role, status, sensitivity, rows_returned }) => ({
        username,
        role,
        status,
        sensitivity,
        rows_returned,
      })),
    ).toEqual([
      { username: null, role: null, status: 401, sensitivity: 'case_list', rows_returned: null },
      { username: 'board', role: 'board', status: 403, sensitivity: 'identity', rows_returned: null },
      { username: 'board', role: 'board', status: 404, sensitivity: 'aggregate', rows_returned: null },
    ]);
  });

  it('does not log the session endpoints, and never holds a password', async () => {
    const added = await rowsAddedBy(async () => {
      const b = new Browser(env.server.url);
      await b.signIn('officer', 'a-wrong-password');
      await b.signIn('officer', passwords.officer);
      await b.get('/api/v1/session');
      await b.request('PUT', '/api/v1/session/password', {
        json: { currentPassword: passwords.officer, newPassword: 'x' },
      });
      await b.signOut();
    });
    expect(added).toEqual([]);

    const officer = await signedIn('officer');
    const [row] = await rowsAddedBy(() => officer.get('/api/v1/figures?password=hunter2-secret&api_token=abc&plain=1'));
    expect(JSON.parse(row!.params).query).toEqual({ password: '[redacted]', api_token: '[redacted]', plain: '1' });
    const everything = JSON.stringify(await logRows());
    for (const secret of [...Object.values(passwords), 'hunter2-secret', 'a-wrong-password'])
      expect(everything).not.toContain(secret);
  });

  it('withholds the data (500) when the log cannot be written', async () => {
    const officer = await signedIn('officer');
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    // Test-only sabotage: the product has no statement that alters access_log.
    await env.store.warehouse.query('ALTER TABLE access_log RENAME TO access_log_away');
    try {
      const reply = await officer.get('/api/v1/cases/neglect');
      expect(reply.status).toBe(500);
      expect(reply.body).toEqual({ error: 'the access log could not be written, so nothing was returned' });
      expect(reply.text).not.toContain('child_key');
      expect(errors).toHaveBeenCalled();
    } finally {
      await env.store.warehouse.query('ALTER TABLE access_log_away RENAME TO access_log');
      errors.mockRestore();
    }
    expect((await officer.get('/api/v1/cases/neglect')).status).toBe(200);
  });
});

describe('reading the access log (admin only)', () => {
  it('gives admins the log as JSON, newest first, filtered by user, dates and limit, and logs the look', async () => {
    clock.ms = Date.UTC(2025, 6, 10, 12, 0, 0);
    const officer = await signedIn('officer');
    expect((await officer.get('/api/v1/figures?marker=july')).status).toBe(200);
    clock.ms = Date.UTC(2025, 6, 11, 8, 0, 0);
    const admin = await signedIn('admin');

    const july10 = await admin.get('/api/v1/access-log?from=2025-07-10&to=2025-07-10&user=officer');
    expect(july10.status).toBe(200);
    const rows = july10.body['rows'] as (AccessLogRow & { params: { query: Record<string, string> } })[];
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      username: 'officer',
      path: '/api/v1/figures',
      logged_at: '2025-07-10T12:00:00.000Z',
    });
    expect(rows[0]!.params.query).toEqual({ marker: 'july' });

    const latest = (await admin.get('/api/v1/access-log?limit=3')).body['rows'] as AccessLogRow[];
    expect(latest).toHaveLength(3);
    expect(latest.map((r) => r.id)).toEqual([...latest.map((r) => r.id)].sort((a, b) => b - a));

    // The look itself is logged: admin, sensitivity admin, rows returned.
    const [look] = (await admin.get('/api/v1/access-log?limit=1&user=admin')).body['rows'] as AccessLogRow[];
    expect(look).toMatchObject({
      username: 'admin',
      role: 'admin',
      path: '/api/v1/access-log',
      sensitivity: 'admin',
      rows_returned: 3,
      status: 200,
    });
  });

  it('refuses everyone else, and logs the refusal as an attempt on admin data', async () => {
    for (const role of ['board', 'officer'] as const) {
      const b = await signedIn(role);
      const [row] = await rowsAddedBy(async () => {
        expect((await b.get('/api/v1/access-log')).status).toBe(403);
      });
      expect(row).toMatchObject({ username: role, status: 403, sensitivity: 'admin' });
      expect((await b.get('/api/v1/access-log.csv')).status).toBe(403);
    }
    expect((await new Browser(env.server.url).get('/api/v1/access-log.csv')).status).toBe(401);
  });

  it('answers a bad filter with 400', async () => {
    const admin = await signedIn('admin');
    for (const query of [
      'from=2025-02-30',
      'to=yesterday',
      'from=2025-03-01&to=2025-02-01',
      'limit=0',
      'limit=many',
      'limit=100001',
    ]) {
      const reply = await admin.get(`/api/v1/access-log?${query}`);
      expect(reply.status, query).toBe(400);
      expect(typeof reply.body['error']).toBe('string');
    }
  });

  it('exports CSV as an attachment', async () => {
    const admin = await signedIn('admin');
    const reply = await admin.get('/api/v1/access-log.csv?limit=5');
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(reply.headers.get('content-disposition')).toBe('attachment; filename="access-log.csv"');
    const lines = reply.text.trimEnd().split('\r\n');
    expect(lines[0]).toBe('id,logged_at,username,role,client_ip,method,path,params,status,rows_returned,sensitivity');
    expect(lines).toHaveLength(6);
    expect(lines[1]).toMatch(
      /^\d+,2025-07-11T08:00:00\.000Z,admin,admin,127\.0\.0\.1,GET,\/api\/v1\/access-log,"\{""query"":/,
    );
  });

  it('writes CSV cells a spreadsheet will not run as formulas', () => {
    const row: AccessLogRow = {
      id: 1,
      logged_at: '2025-01-01T00:00:00.000Z',
      username: '=HYPERLINK("http://x")',
      role: 'board',
      client_ip: '::1',
      method: 'GET',
      path: '/api/v1/x',
      params: '{}',
      status: 200,
      rows_returned: null,
      sensitivity: 'aggregate',
    };
    expect(accessLogCsv([row]).split('\r\n')[1]).toBe(
      `1,2025-01-01T00:00:00.000Z,"'=HYPERLINK(""http://x"")",board,::1,GET,/api/v1/x,{},200,,aggregate`,
    );
  });
});

describe('nobody can change the access log through the product', () => {
  it('has no route that edits it: other methods are 405 or 404, and earlier rows stay as they were', async () => {
    const admin = await signedIn('admin');
    const before = await logRows();
    const attempts: [string, string, number][] = [
      ['PUT', '/api/v1/access-log', 405],
      ['PATCH', '/api/v1/access-log', 405],
      ['DELETE', '/api/v1/access-log', 405],
      ['POST', '/api/v1/access-log', 405],
      ['DELETE', '/api/v1/access-log.csv', 405],
      ['DELETE', `/api/v1/access-log/${before[0]!.id}`, 404],
      ['PUT', `/api/v1/access-log/${before[0]!.id}`, 404],
    ];
    for (const [method, path, status] of attempts) {
      const reply = await admin.request(method, path, { json: { username: 'nobody', status: 200 } });
      expect(reply.status, `${method} ${path}`).toBe(status);
    }
    const after = await logRows();
    expect(after.slice(0, before.length)).toEqual(before);
    // Each attempt is itself logged, and that is all that was added.
    expect(after.slice(before.length).map((r) => [r.method, r.path, r.status])).toEqual(attempts);
  });

  it('has no statement in the product that changes access_log other than the one INSERT', () => {
    const changing =
      /\b(UPDATE|DELETE\s+FROM|TRUNCATE(\s+TABLE)?|DROP\s+TABLE(\s+IF\s+EXISTS)?|ALTER\s+TABLE|CREATE\s+OR\s+REPLACE\s+TABLE|COPY)\s+access_log\b/i;
    const inserting = /\bINSERT\s+(OR\s+\w+\s+)?INTO\s+access_log\b/gi;
    const offenders: string[] = [];
    const inserts: string[] = [];
    const walk = (dir: string): void => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (/\.(ts|js|sql)$/.test(name)) {
          const text = readFileSync(path, 'utf8');
          if (changing.test(text)) offenders.push(relative(projectRoot, path));
          for (const _ of text.matchAll(inserting)) inserts.push(relative(projectRoot, path));
        }
      }
    };
    for (const dir of ['server', 'sql', 'bin', 'etl', 'client']) walk(join(projectRoot, dir));
    expect(offenders).toEqual([]);
    expect(inserts).toEqual(['server/accessLog.ts']);
  });
});
