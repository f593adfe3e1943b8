import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadFiles } from '../../etl/load/loadFiles.ts';
import { Warehouse } from '../../sql/warehouse.ts';
import { tempDir, writeCanonicalCsv } from '../support/fixtureWarehouse.ts';
import { runCli } from '../support/runCli.ts';
import { tableCounts } from '../support/tableCounts.ts';

/**
 * Issue 11, "Uploads that cannot mislead": a load never dates a file today on its own. The file's
 * own date (census header), else the date given, else for Annex A the latest event date in it;
 * otherwise the file is refused, and a file from another LA too unless confirmed. A refusal writes
 * nothing, not even a failed load.
 */
const dir = tempDir('reference-dates');
const warehouses: Warehouse[] = [];
afterAll(() => warehouses.forEach((w) => w.close()));
const census = join(import.meta.dirname, '../fixtures/samples/cin-census/fake_CIN_data.xml');

async function openWarehouse(name: string) {
  const warehouse = await Warehouse.open(join(dir, `${name}.duckdb`));
  warehouses.push(warehouse);
  return warehouse;
}

describe('the reference date a load takes', () => {
  it('refuses canonical CSV with no reference date given, writing nothing', async () => {
    const warehouse = await openWarehouse('canonical');
    writeCanonicalCsv(join(dir, 'csv'), { 'children.csv': [{ child_id: 'C1', birth_date: '2015-01-01', sex: 'F' }] });
    const before = await tableCounts(warehouse);
    const [result] = await loadFiles(warehouse, [join(dir, 'csv')], { loadedBy: 'test' });
    expect(result).toMatchObject({ status: 'failed', rowsRead: 0, refusal: { reason: 'no reference date' } });
    expect(result!.message).toBe(
      "children.csv: is canonical CSV, which carries no reference date: nothing was loaded. Give the extract's reference date " +
        '(the upload page\'s "Reference date", or lscb load --reference-date YYYY-MM-DD)',
    );
    expect(await tableCounts(warehouse)).toEqual(before);
    // Given a date, the same file loads under it.
    const [loaded] = await loadFiles(warehouse, [join(dir, 'csv')], { loadedBy: 'test', referenceDate: '2025-03-31' });
    expect(loaded).toMatchObject({ status: 'loaded', rowsAccepted: 1 });
    expect(await warehouse.query(`SELECT reference_date::VARCHAR AS d FROM loads`)).toEqual([{ d: '2025-03-31' }]);
  });

  it('takes an Annex A list’s latest event date, leaving out dates of birth and dates after today', async () => {
    const warehouse = await openWarehouse('annex-a');
    mkdirSync(join(dir, 'annex'), { recursive: true });
    const path = join(dir, 'annex', 'Annex A List 7.csv');
    writeFileSync(
      path,
      [
        'Child Unique ID,Age of Child (Years),Date of Birth,Child Protection Plan Start Date,Child Protection Plan End Date,Initial Category of Abuse',
        // An unborn child: its expected date of birth (1 June 2024) is after every event, and no event.
        'A1,-1,01/06/2024,12/01/2024,28/02/2024,a) Neglect',
        'A2,4,03/03/2020,15/03/2024,,a) Neglect', // the latest event: 15 March 2024
        'A3,6,05/05/2018,01/01/2062,,b) Physical abuse', // a typing error: no extract records 2062
      ].join('\r\n') + '\r\n',
    );
    const [result] = await loadFiles(warehouse, [path], { loadedBy: 'test' });
    expect(result).toMatchObject({ status: 'loaded', format: 'annex-a-csv', rowsRejected: 1 });
    expect(await warehouse.query(`SELECT reference_date::VARCHAR AS d FROM loads`)).toEqual([{ d: '2024-03-15' }]);
    const rejects = await warehouse.query<{ field: string; reason: string }>(`SELECT field, reason FROM rejects`);
    expect(rejects).toEqual([
      {
        field: 'start_date',
        reason: "after the extract's reference date (2024-03-15): an extract cannot record what has not happened",
      },
    ]);
  });
});

describe('lscb load', () => {
  it('without --reference-date refuses canonical CSV before opening the warehouse (exit 2)', async () => {
    const db = join(dir, 'cli-undated.duckdb');
    const result = await runCli(['load', '--db', db, join(dir, 'csv')]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(
      "lscb load: children.csv is canonical CSV, which carries no reference date: give the extract's date with --reference-date YYYY-MM-DD. Nothing was loaded.",
    );
    expect(existsSync(db)).toBe(false);
  });

  it('refuses a census from another LA, naming both codes, unless --confirm-la', async () => {
    const db = join(dir, 'cli-other-la.duckdb');
    (await Warehouse.open(db)).close();
    const refused = await runCli(['load', '--db', db, census]);
    expect(refused.status).toBe(1);
    expect(refused.stdout).toContain(
      'REFUSED  fake_CIN_data.xml: is from LA 975, but this warehouse is LA 990 (Northbury): nothing was loaded.',
    );
    const warehouse = await Warehouse.open(db, { readOnly: true });
    expect(await tableCounts(warehouse)).toMatchObject({ children: 0, loads: 0, rejects: 0 });
    warehouse.close();
    const confirmed = await runCli(['load', '--db', db, '--confirm-la', census]);
    expect(confirmed.status).toBe(0);
    // 338 rows rejected: 14 dated after the reference date, 316 more episodes outside the census year
    // (DfE rules 8569/8620), 8 children's disability codes (8790/8794): tests/etl/cinCensusSamples.test.ts.
    expect(confirmed.stdout).toContain('loaded   fake_CIN_data.xml (cin-census-xml): 734 read, 396 accepted');
  }, 300_000); // three processes, on a shared machine
});
