import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFiles } from '../../etl/load/loadFiles.ts';
import { Warehouse } from '../../sql/warehouse.ts';
import type { Browser } from '../support/authApp.ts';
import { tempDir } from '../support/fixtureWarehouse.ts';
import { tableCounts, warehouseFingerprint } from '../support/tableCounts.ts';
import { startTestServer, type TestServer } from '../support/testServer.ts';

/**
 * Issue 5: "An upload of a demo extract through the API lands the same data as lscb load, and an
 * upload of a broken file reports its rejects and leaves the warehouse unchanged."
 */
const samples = join(import.meta.dirname, '../fixtures/samples/cin-census');
let dir: string;
let warehouse: Warehouse;
let server: TestServer;
let admin: Browser;

beforeAll(async () => {
  dir = tempDir('uploads');
  warehouse = await Warehouse.open(join(dir, 'served.duckdb'));
  server = await startTestServer({ warehouse });
  admin = await server.as('admin');
});
afterAll(async () => {
  await server.close();
  warehouse.close();
});

async function upload(
  client: Browser,
  files: { name: string; bytes: Buffer }[],
  headers: Record<string, string> = {},
  fields: Record<string, string> = {},
) {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  for (const f of files) form.append('file', new Blob([new Uint8Array(f.bytes)]), f.name);
  const response = await fetch(new URL('/api/v1/uploads', server.url), {
    method: 'POST',
    headers: { Cookie: client.cookie ?? '', 'X-CSRF-Token': client.csrfToken ?? '', ...headers },
    body: form,
  });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

async function finished(id: string) {
  for (let i = 0; i < 200; i++) {
    const reply = await admin.get(`/api/v1/uploads/${id}`);
    if (reply.body['status'] !== 'loading') return reply.body as Record<string, any>;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('upload did not finish');
}

describe('POST /api/v1/uploads', () => {
  it('refuses a census from another LA, naming both codes, and the warehouse is unchanged', async () => {
    const before = await tableCounts(warehouse);
    const bytes = readFileSync(join(samples, 'fake_CIN_data.xml'));
    const started = await upload(admin, [{ name: 'fake_CIN_data.xml', bytes }]);
    expect(started.status).toBe(202);
    const job = await finished(started.body['id']);
    expect(job).toMatchObject({ status: 'done', loaded: 0, failed: 1, refused: 1 });
    // The header's LEA is 975; the warehouse is the configured demo LA, Northbury (990).
    expect(job['results'][0]).toMatchObject({
      status: 'failed',
      rowsRead: 0,
      refusal: { reason: 'other LA', fileLa: '975', warehouseLa: '990' },
    });
    expect(job['results'][0].message).toBe(
      'fake_CIN_data.xml: is from LA 975, but this warehouse is LA 990 (Northbury): nothing was loaded. ' +
        "If it is right, confirm the LA (the upload page's confirmation, or lscb load --confirm-la)",
    );
    // Every table, the loads and rejects included: a refusal is not even recorded as a load.
    expect(await tableCounts(warehouse)).toEqual(before);
  });

  it('refuses canonical CSV without a reference date before any load, and the warehouse is unchanged', async () => {
    const before = await tableCounts(warehouse);
    const csv = Buffer.from(
      'child_id,birth_date,expected_birth_date,sex,ethnicity,disability\nU1,2015-01-01,,F,WBRI,\n',
    );
    const reply = await upload(admin, [{ name: 'children.csv', bytes: csv }]);
    expect(reply.status).toBe(400);
    expect(reply.body['error']).toBe(
      "'children.csv' is canonical CSV, which carries no reference date: give the extract's reference date. Nothing was loaded.",
    );
    expect(await tableCounts(warehouse)).toEqual(before);
    const badDate = await upload(admin, [{ name: 'children.csv', bytes: csv }], {}, { reference_date: '31/03/2025' });
    expect(badDate.status).toBe(400);
    expect(badDate.body['error']).toBe("the reference date must be a real date as YYYY-MM-DD, not '31/03/2025'");
    expect(await tableCounts(warehouse)).toEqual(before);
  });

  it('loads a census file from another LA once confirmed, as lscb load does, and reports the summary', async () => {
    const bytes = readFileSync(join(samples, 'fake_CIN_data.xml'));
    const started = await upload(admin, [{ name: 'fake_CIN_data.xml', bytes }], {}, { confirm_la: '1' });
    expect(started.status).toBe(202);
    const job = await finished(started.body['id']);
    expect(job).toMatchObject({ status: 'done', loaded: 1, failed: 0 });
    // 14 of its referrals are dated after the header's reference date, 316 more fall outside the
    // census year (DfE rules 8569/8620: no further action though referred before the year, closed
    // before it), and 8 children's records break DfE rules 8790/8794 (disability codes): 338
    // rejected (tests/etl/cinCensusSamples.test.ts).
    expect(job['results'][0]).toMatchObject({
      file: 'fake_CIN_data.xml',
      status: 'loaded',
      rowsRead: 734,
      rowsAccepted: 396,
      rowsRejected: 338,
    });

    // The same file through the loader, into a warehouse of its own, gives the same tables.
    const direct = await Warehouse.open(join(dir, 'direct.duckdb'));
    await loadFiles(direct, [join(samples, 'fake_CIN_data.xml')], { loadedBy: 'test', confirmLa: true });
    const pick = (c: Record<string, number>) => ({
      children: c['children'],
      referrals: c['referrals'],
      cp_plans: c['cp_plans'],
    });
    expect(pick(await tableCounts(warehouse))).toEqual(pick(await tableCounts(direct)));
    // 332 children in the file, 8 of whose records DfE rules 8790/8794 reject; 72 of its 402 episodes land.
    expect(pick(await tableCounts(warehouse))).toEqual({ children: 324, referrals: 72, cp_plans: 0 });
    direct.close();
  });

  it('reports a broken file’s failure and leaves the warehouse unchanged', async () => {
    const before = await warehouseFingerprint(warehouse);
    const truncated = readFileSync(join(samples, 'cin-2022.xml')).subarray(0, 900);
    const started = await upload(admin, [{ name: 'CIN_truncated.xml', bytes: truncated }]);
    const job = await finished(started.body['id']);
    expect(job).toMatchObject({ status: 'done', loaded: 0, failed: 1 });
    expect(job['results'][0].message).toMatch(/^CIN_truncated\.xml: line \d+, column \d+.*is not well-formed XML/);
    expect(await warehouseFingerprint(warehouse)).toBe(before);
  });

  it('refuses a file of the wrong type before loading anything', async () => {
    const reply = await upload(admin, [{ name: 'notes.pdf', bytes: Buffer.from('%PDF-1.4') }]);
    expect(reply.status).toBe(400);
    expect(reply.body['error']).toContain("'notes.pdf' is not an extract this product reads");
  });

  it('is for admins only, and needs the CSRF token', async () => {
    const officer = await server.as('officer');
    expect((await upload(officer, [{ name: 'a.csv', bytes: Buffer.from('x,y\n') }])).status).toBe(403);
    const noToken = await upload(admin, [{ name: 'a.csv', bytes: Buffer.from('x,y\n') }], { 'X-CSRF-Token': '' });
    expect(noToken.status).toBe(403);
  });
});
