import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { upnKeyFileVariable } from '../../etl/identity/upnKey.ts';
import { loadFiles } from '../../etl/load/loadFiles.ts';
import { Warehouse } from '../../sql/warehouse.ts';
import { tempDir } from '../support/fixtureWarehouse.ts';
import { warehouseFingerprint } from '../support/tableCounts.ts';

/**
 * The census reader reads plain XML with its own scanner and anything else with saxes
 * (etl/xml/plainXmlScanner.ts). The same census with a DOCTYPE (which the scanner refuses at once)
 * or a comment after its last element (which it refuses after staging every row, so those rows are
 * thrown away and read again) is read by saxes: the two reads give the same warehouse and the same
 * rejects, lines apart.
 */
const dir = tempDir('census-fallback');
const warehouses: Warehouse[] = [];
// One installation key for both warehouses, so a UPN hashes the same in each (etl/identity/upnKey.ts).
const keyFileBefore = process.env[upnKeyFileVariable];
process.env[upnKeyFileVariable] = join(dir, 'upn-key');
afterAll(() => {
  warehouses.forEach((w) => w.close());
  if (keyFileBefore === undefined) delete process.env[upnKeyFileVariable];
  else process.env[upnKeyFileVariable] = keyFileBefore;
});

async function loadCensus(name: string, xml: string) {
  const path = join(dir, `${name}.xml`);
  writeFileSync(path, xml);
  const warehouse = await Warehouse.open(join(dir, `${name}.duckdb`));
  warehouses.push(warehouse);
  // The samples are LA 201 and 975's; the warehouse is the configured LA's (990).
  const [result] = await loadFiles(warehouse, [path], { loadedBy: 'test', confirmLa: true });
  const rejects = await warehouse.query<{ row: string; field: string; reason: string }>(
    'SELECT "row", field, reason FROM rejects ORDER BY "row", field, reason',
  );
  return { warehouse, result, rejects };
}

describe('the scanner and saxes stage the same rows', () => {
  for (const sample of ['CIN_Census_2024.xml', 'CIN2rows.xml', 'fake_CIN_data.xml']) {
    it(sample, async () => {
      const xml = readFileSync(join(import.meta.dirname, '../fixtures/samples/cin-census', sample), 'utf8');
      // After the XML declaration, if there is one: a DOCTYPE must come before the root.
      const withDoctype = xml.replace(
        /^(\uFEFF?<\?xml[^>]*\?>)?/,
        (declaration) => `${declaration}\n<!DOCTYPE Message>`,
      );
      expect(withDoctype).toContain('<!DOCTYPE Message>');
      const plain = await loadCensus(`plain-${sample}`, xml);
      const full = await loadCensus(`full-${sample}`, withDoctype);
      const late = await loadCensus(`late-${sample}`, `${xml}<!-- read again by saxes -->`);
      expect(plain.result).toMatchObject({ status: 'loaded' });
      for (const other of [full, late]) {
        expect(other.result).toMatchObject({
          status: 'loaded',
          rowsRead: plain.result!.rowsRead,
          rowsAccepted: plain.result!.rowsAccepted,
        });
        expect(await warehouseFingerprint(other.warehouse)).toBe(await warehouseFingerprint(plain.warehouse));
      }
      expect(late.rejects).toEqual(plain.rejects);
      // Where a row came from is named the same way, bar the line the DOCTYPE added.
      const unshift = (text: string) => text.replace(/line (\d+)/g, (_m, n: string) => `line ${Number(n) - 1}`);
      expect(full.rejects.map((r) => ({ ...r, row: unshift(r.row), reason: unshift(r.reason) }))).toEqual(
        plain.rejects,
      );
    });
  }
});

describe('the staging pool', () => {
  const census = join(import.meta.dirname, '../fixtures/samples/cin-census/cin-2022.xml');
  const stagedTables = (staged: { tables: { spec: { table: string } }[] }) =>
    staged.tables.map((t) => t.spec.table).sort();
  const allTables = ['assessments', 'children', 'cin_plans', 'cp_plans', 'referrals', 'section47'];

  it("passes a reader's failure back as that file's error, and stages the next file", async () => {
    const { StagingPool } = await import('../../etl/load/stagingPool.ts');
    const pool = new StagingPool();
    try {
      await expect(pool.stage('cin-census-xml', census, join(dir, 'no-such-folder'), undefined)).rejects.toThrow(
        /no-such-folder/,
      );
      expect(
        stagedTables(await pool.stage('cin-census-xml', census, mkdtempSync(join(dir, 'stage-')), undefined)),
      ).toEqual(allTables);
    } finally {
      await pool.close();
    }
  });

  it('fails the file of a worker that dies, and starts a new worker for the next', async () => {
    const { StagingPool } = await import('../../etl/load/stagingPool.ts');
    const pool = new StagingPool();
    try {
      const dying = pool.stage('cin-census-xml', census, mkdtempSync(join(dir, 'stage-')), undefined);
      // The worker is killed from outside while it has the file, as a crash would end it.
      const busy = (pool as unknown as { busy: Map<Worker, unknown> }).busy;
      await expect.poll(() => busy.size).toBe(1);
      await [...busy.keys()][0]!.terminate();
      await expect(dying).rejects.toThrow(/staging worker stopped/);
      expect(
        stagedTables(await pool.stage('cin-census-xml', census, mkdtempSync(join(dir, 'stage-')), undefined)),
      ).toEqual(allTables);
    } finally {
      await pool.close();
    }
  });

  it('keeps a worker that has done its file for the next, until the last file is queued; then it ends', async () => {
    // Two files, one worker: the first file's worker waits idle (1 running) and is ended by
    // lastFileQueued (0). Queued after that, the second file's worker ends as soon as it has staged
    // it (0), though its file staged whole.
    const { StagingPool } = await import('../../etl/load/stagingPool.ts');
    const pool = new StagingPool(1);
    try {
      expect(
        stagedTables(await pool.stage('cin-census-xml', census, mkdtempSync(join(dir, 'stage-')), undefined)),
      ).toEqual(allTables);
      expect(pool.running).toBe(1);
      pool.lastFileQueued();
      expect(pool.running).toBe(0);
      expect(
        stagedTables(await pool.stage('cin-census-xml', census, mkdtempSync(join(dir, 'stage-')), undefined)),
      ).toEqual(allTables);
      expect(pool.running).toBe(0);
    } finally {
      await pool.close();
    }
  });
});
