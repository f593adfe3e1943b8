import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../sql/warehouse.ts';
import { cpOpenFixture } from '../metrics/cpOpen.fixture.ts';
import type { Browser } from '../support/authApp.ts';
import { fixtureWarehouse, type FixtureWarehouse } from '../support/fixtureWarehouse.ts';
import { startTestServer, type TestServer } from '../support/testServer.ts';

let fixture: FixtureWarehouse;
let server: TestServer;
let board: Browser;
let officer: Browser;
let admin: Browser;
beforeAll(async () => {
  fixture = await fixtureWarehouse(cpOpenFixture);
  server = await startTestServer({ warehouse: fixture.warehouse });
  [board, officer, admin] = await Promise.all([server.as('board'), server.as('officer'), server.as('admin')]);
});
afterAll(async () => {
  await server.close();
  fixture.dispose();
});

const quarter = '2025-03-31';
interface LogRow {
  username: string;
  method: string;
  path: string;
  status: number;
  rows_returned: number | null;
  sensitivity: string;
}
const logRows = () =>
  fixture.warehouse.query<LogRow>(
    `SELECT username, method, path, status, rows_returned, sensitivity FROM access_log
   WHERE path LIKE '/api/v1/commentary%' ORDER BY id`,
  );
const stored = () =>
  fixture.warehouse.query<{ version: number; body: string; author: string }>(
    `SELECT version, body, author FROM commentary WHERE quarter_end = DATE '${quarter}' ORDER BY version`,
  );

describe('commentary on a quarter’s pack', () => {
  it('starts empty, and an officer’s first save is version 1 with the officer as author', async () => {
    const empty = await board.get(`/api/v1/commentary?quarter=${quarter}`);
    expect(empty.status).toBe(200);
    expect(empty.body).toMatchObject({ quarter, latest: null, canWrite: false });

    const saved = await officer.request('POST', '/api/v1/commentary', {
      json: { quarter, body: 'Neglect plans rose; see the audit.', baseVersion: 0 },
    });
    expect(saved.status).toBe(201);
    expect(saved.body['saved']).toMatchObject({
      version: 1,
      author: 'officer',
      body: 'Neglect plans rose; see the audit.',
    });
    expect(String((saved.body['saved'] as { written_at: string }).written_at)).toMatch(
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/,
    );
  });

  it('an edit adds a version: the board reads the latest, officers get every version, nothing is overwritten', async () => {
    const edit = await admin.request('POST', '/api/v1/commentary', {
      json: { quarter, body: 'Neglect plans rose by 13.\nThe audit is under way.', baseVersion: 1 },
    });
    expect(edit.status).toBe(201);
    expect((edit.body['saved'] as { version: number }).version).toBe(2);

    const read = await board.get(`/api/v1/commentary?quarter=${quarter}`);
    expect(read.body['latest']).toMatchObject({
      version: 2,
      author: 'admin',
      body: 'Neglect plans rose by 13.\nThe audit is under way.',
    });
    expect(read.body['history']).toBeUndefined(); // the board reads the pack's text, not its drafts

    const full = await officer.get(`/api/v1/commentary?quarter=${quarter}`);
    expect(full.body['canWrite']).toBe(true);
    expect((full.body['history'] as { version: number; author: string }[]).map((v) => [v.version, v.author])).toEqual([
      [2, 'admin'],
      [1, 'officer'],
    ]);
    expect(await stored()).toEqual([
      { version: 1, body: 'Neglect plans rose; see the audit.', author: 'officer' },
      { version: 2, body: 'Neglect plans rose by 13.\nThe audit is under way.', author: 'admin' },
    ]);
  });

  it('refuses a save made on an out-of-date version (409), so no one’s text is silently replaced', async () => {
    const stale = await officer.request('POST', '/api/v1/commentary', {
      json: { quarter, body: 'Written on version 1', baseVersion: 1 },
    });
    expect(stale.status).toBe(409);
    expect(stale.body['latestVersion']).toBe(2);
    expect((await stored()).map((r) => r.version)).toEqual([1, 2]);
  });

  it('does not let a board member write (403), and logs the attempt', async () => {
    const before = (await logRows()).length;
    const refused = await board.request('POST', '/api/v1/commentary', {
      json: { quarter, body: 'board text', baseVersion: 2 },
    });
    expect(refused.status).toBe(403);
    const rows = await logRows();
    expect(rows.slice(before)).toEqual([
      {
        username: 'board',
        method: 'POST',
        path: '/api/v1/commentary',
        status: 403,
        rows_returned: null,
        sensitivity: 'aggregate',
      },
    ]);
    expect((await stored()).map((r) => r.body)).not.toContain('board text');
  });

  it('needs the session’s CSRF token to save', async () => {
    const missing = await officer.request('POST', '/api/v1/commentary', {
      json: { quarter, body: 'forged', baseVersion: 2 },
      withCsrf: false,
    });
    expect(missing.status).toBe(403);
    expect(String(missing.body['error'])).toContain('X-CSRF-Token');
    const wrong = await officer.request('POST', '/api/v1/commentary', {
      json: { quarter, body: 'forged', baseVersion: 2 },
      withCsrf: false,
      headers: { 'X-CSRF-Token': 'not-the-token' },
    });
    expect(wrong.status).toBe(403);
    expect((await stored()).map((r) => r.body)).not.toContain('forged');
  });

  it('refuses what is not plain text of a sensible length, or not a quarter end, with a 400 or 413', async () => {
    const cases: [unknown, number][] = [
      [{ quarter, body: '', baseVersion: 2 }, 400],
      [{ quarter, body: 'x'.repeat(10_001), baseVersion: 2 }, 400],
      [{ quarter, body: 'bell\u0007', baseVersion: 2 }, 400],
      [{ quarter, body: 42, baseVersion: 2 }, 400],
      [{ quarter: '2025-03-30', body: 'text', baseVersion: 2 }, 400],
      [{ quarter, body: 'text', baseVersion: -1 }, 400],
      [{ quarter, body: 'x'.repeat(70_000), baseVersion: 2 }, 413],
      ['{"quarter": ', 400],
    ];
    for (const [json, status] of cases) {
      const reply = await officer.request('POST', '/api/v1/commentary', { json });
      expect(reply.status, JSON.stringify(json).slice(0, 60)).toBe(status);
      expect(typeof reply.body['error']).toBe('string');
    }
    expect((await board.get('/api/v1/commentary?quarter=2025-02-28')).status).toBe(400);
    // A quarter sent as a number is named as such, not called missing or repeated.
    const numeric = await officer.request('POST', '/api/v1/commentary', {
      json: { quarter: 20250331, body: 'text', baseVersion: 2 },
    });
    expect(numeric.body['error']).toBe(
      "'quarter' must be the last day of a quarter as YYYY-MM-DD, e.g. 2026-03-31, as text",
    );
    expect((await stored()).map((r) => r.version)).toEqual([1, 2]);
  });

  it('logs every read and every save, with the rows returned', async () => {
    const rows = await logRows();
    expect(rows[0]).toEqual({
      username: 'board',
      method: 'GET',
      path: '/api/v1/commentary',
      status: 200,
      rows_returned: 0,
      sensitivity: 'aggregate',
    });
    expect(rows).toContainEqual({
      username: 'officer',
      method: 'POST',
      path: '/api/v1/commentary',
      status: 201,
      rows_returned: 1,
      sensitivity: 'aggregate',
    });
    expect(rows).toContainEqual({
      username: 'officer',
      method: 'GET',
      path: '/api/v1/commentary',
      status: 200,
      rows_returned: 2,
      sensitivity: 'aggregate',
    });
    expect(rows.filter((r) => r.method === 'POST' && r.status === 201).map((r) => r.username)).toEqual([
      'officer',
      'admin',
    ]);
  });

  it('the board pack carries the latest version, so the page and its PDF print it', async () => {
    const pack = await board.get(`/api/v1/board-pack?quarter=${quarter}`);
    expect(pack.body['commentary']).toMatchObject({ version: 2, author: 'admin' });
  });

  it('has no statement in the product that changes a saved commentary', () => {
    const statements = [
      'UPDATE',
      'DELETE\\s+FROM',
      'TRUNCATE(\\s+TABLE)?',
      'DROP\\s+TABLE(\\s+IF\\s+EXISTS)?',
      'ALTER\\s+TABLE',
      'CREATE\\s+OR\\s+REPLACE\\s+TABLE',
      'INSERT\\s+OR\\s+REPLACE\\s+INTO',
    ];
    const changing = new RegExp(`\\b(${statements.join('|')})\\s+commentary\\b`, 'i');
    const offenders: string[] = [];
    const walk = (dir: string): void => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (/\.(ts|js|sql)$/.test(name) && changing.test(readFileSync(path, 'utf8'))) {
          offenders.push(relative(projectRoot, path));
        }
      }
    };
    for (const dir of ['server', 'sql', 'bin', 'etl', 'client', 'metrics', 'report']) walk(join(projectRoot, dir));
    expect(offenders).toEqual([]);
  });
});
