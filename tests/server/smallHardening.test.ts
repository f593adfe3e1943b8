import { chmodSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Warehouse } from '../../sql/warehouse.ts';
import type { Browser } from '../support/authApp.ts';
import { tempDir } from '../support/fixtureWarehouse.ts';
import { runCli } from '../support/runCli.ts';
import { startTestServer, type TestServer } from '../support/testServer.ts';

/**
 * Issue 15, "Small ones": each reproduction from the outside test, which failed before the change
 * (a 500, a silent drop, a stack trace, an empty warehouse, a hang).
 */
let dir: string;
let warehouse: Warehouse;
let server: TestServer;
let officer: Browser;
let admin: Browser;

beforeAll(async () => {
  dir = tempDir('small-hardening');
  warehouse = await Warehouse.open(join(dir, 'served.duckdb'));
  server = await startTestServer({ warehouse });
  officer = await server.as('officer');
  admin = await server.as('admin');
});
afterAll(async () => {
  await server.close();
  warehouse.close();
});

describe('requests that used to 500', () => {
  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])(
    '/api/v1/cases/%s is a 400 naming the lists',
    async (name) => {
      const reply = await officer.get(`/api/v1/cases/${name}?from=2025-01-01&to=2025-03-31`);
      expect(reply.status).toBe(400);
      expect(String(reply.body['error'])).toContain('no case list for');
    },
  );

  it('a load number beyond any real load is a 400, not an integer overflow in SQL', async () => {
    const reply = await officer.get('/api/v1/quality?load=99999999999999999999');
    expect(reply.status).toBe(400);
    expect(String(reply.body['error'])).toContain("'load' must be a load number");
  });
});

describe('uploads', () => {
  it('refuses a 21st file in one upload instead of dropping it silently, and loads nothing', async () => {
    const form = new FormData();
    for (let i = 1; i <= 21; i++) form.append('file', new Blob(['child_id,birth_date\n']), `file${i}.csv`);
    const response = await fetch(new URL('/api/v1/uploads', server.url), {
      method: 'POST',
      headers: { Cookie: admin.cookie ?? '', 'X-CSRF-Token': admin.csrfToken ?? '' },
      body: form,
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toBe(
      'one upload takes at most 20 files: send the rest in another upload',
    );
    const loads = await warehouse.query<{ n: number }>('SELECT count(*)::INTEGER AS n FROM loads');
    expect(loads[0]!.n).toBe(0);
  });
});

describe('lscb load on paths that are not extracts', () => {
  it('names a missing path in one line, with no stack trace, and creates no warehouse', async () => {
    const db = join(dir, 'never.duckdb');
    const result = await runCli(['load', '--db', db, '/no/such/file']);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe('lscb load: /no/such/file: no such file or folder\nNothing was loaded.\n');
    expect(existsSync(db)).toBe(false);
  });

  it('refuses /dev/zero at once instead of reading it forever', async () => {
    const result = await runCli(['load', '--db', join(dir, 'zero.duckdb'), '/dev/zero'], { timeoutMs: 20_000 });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('/dev/zero: not a regular file or folder');
  });

  it('creates the warehouse owner-only (0600) whatever the umask of the shell', async () => {
    const db = join(dir, 'private.duckdb');
    const result = await runCli([
      'load',
      '--db',
      db,
      '--confirm-la', // the sample is LA 201's
      join(import.meta.dirname, '../fixtures/samples/cin-census/CIN2rows.xml'),
    ]);
    expect(result.status).toBe(0);
    expect(statSync(db).mode & 0o777).toBe(0o600);
    // A warehouse left world-readable by an earlier version is tightened when next opened for writing.
    chmodSync(db, 0o644);
    (await Warehouse.open(db)).close();
    expect(statSync(db).mode & 0o777).toBe(0o600);
  });

  it('says which process holds the warehouse when two loads run at once', async () => {
    const db = join(dir, 'busy.duckdb');
    const holder = await DuckDBInstance.create(db);
    try {
      const result = await runCli([
        'load',
        '--db',
        db,
        join(import.meta.dirname, '../fixtures/samples/cin-census/CIN2rows.xml'),
      ]);
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(
        new RegExp(`^lscb load: the warehouse .*busy\\.duckdb is in use by process ${process.pid} `),
      );
      expect(result.stderr).not.toContain('    at ');
    } finally {
      holder.closeSync();
    }
  });
});
